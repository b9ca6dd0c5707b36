// poco_smtp_peer: an independent SMTP submission client for the integration
// tests (issue 3), built on Poco::Net::SecureSMTPClientSession. It greets,
// secures the connection, authenticates and sends one MIME message (subject,
// UTF-8 text body, optional binary attachment), printing one line per step
// for test_smtp_poco.py to check. Trust level: test code; talks only to the
// engine under test.
//
// Modes:
//   starttls  EHLO, STARTTLS (SecureSMTPClientSession::startTLS), EHLO, AUTH, send
//   smtps     implicit TLS: a SecureStreamSocket handed to the session, EHLO, AUTH, send
//   plain     no TLS and no AUTH: EHLO, send (an MTA delivery, or a refusal on submission)
//
// Output: "ehlo ok", "tls yes", "auth PLAIN ok", "sent ok", "quit ok"; when the
// server refuses a step: "error <code> <what>: <reply>" and exit status 3. Any
// other failure (network, TLS handshake, certificate) prints "error <text>"
// and exits 1.
#include <fstream>
#include <iostream>
#include <iterator>
#include <memory>
#include <sstream>
#include <string>

#include <Poco/Exception.h>
#include <Poco/Net/Context.h>
#include <Poco/Net/MailMessage.h>
#include <Poco/Net/MailRecipient.h>
#include <Poco/Net/NetException.h>
#include <Poco/Net/NetSSL.h>
#include <Poco/Net/SecureSMTPClientSession.h>
#include <Poco/Net/SecureStreamSocket.h>
#include <Poco/Net/SocketAddress.h>
#include <Poco/Net/StringPartSource.h>

using Poco::Net::Context;
using Poco::Net::MailMessage;
using Poco::Net::SecureSMTPClientSession;

namespace
{
const char kUsage[] = "usage: poco_smtp_peer starttls|smtps|plain HOST PORT USER PASSWORD RCPT\n"
                      "         [--auth plain|login] [--subject TEXT] [--body UTF8TEXT] [--attach FILE]\n"
                      "         [--cafile PEM] [--servername NAME]";

struct Options {
    std::string mode, host, user, password, rcpt;
    Poco::UInt16 port = 0;
    std::string auth = "plain";
    std::string subject = "Poco peer";
    std::string body = "Hello from Poco.\r\n";
    std::string attach; // file whose bytes go into an application/octet-stream part
    std::string cafile; // trust only this certificate (the engine's cert.pem)
    std::string servername; // implicit TLS: SNI and the name the certificate must carry
};

// Without a CA file any certificate is accepted (the engine's is self-signed);
// with one, OpenSSL must verify the peer's chain against it.
Context::Ptr clientContext(const Options &o)
{
    Context::Params params;
    if (o.cafile.empty()) {
        params.verificationMode = Context::VERIFY_NONE;
    } else {
        params.verificationMode = Context::VERIFY_RELAXED;
        params.caLocation = o.cafile;
        params.loadDefaultCAs = false;
    }
    return new Context(Context::TLS_CLIENT_USE, params);
}

std::string readFile(const std::string &path)
{
    std::ifstream in(path, std::ios::binary);
    if (!in)
        throw Poco::FileNotFoundException(path);
    return std::string(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}

std::string baseName(const std::string &path)
{
    const auto slash = path.find_last_of('/');
    return slash == std::string::npos ? path : path.substr(slash + 1);
}

// MailMessage cannot be copied: the caller owns it.
void buildMessage(const Options &o, MailMessage &message)
{
    message.setSender(o.user);
    message.addRecipient(Poco::Net::MailRecipient(Poco::Net::MailRecipient::PRIMARY_RECIPIENT, o.rcpt));
    message.setSubject(MailMessage::encodeWord(o.subject, "UTF-8"));
    message.addContent(
        new Poco::Net::StringPartSource(o.body, "text/plain; charset=UTF-8"), MailMessage::ENCODING_QUOTED_PRINTABLE);
    if (!o.attach.empty()) {
        const std::string name = baseName(o.attach);
        message.addAttachment(name,
            new Poco::Net::StringPartSource(readFile(o.attach), "application/octet-stream", name),
            MailMessage::ENCODING_BASE64);
    }
}

void authenticate(SecureSMTPClientSession &session, const Options &o)
{
    // login(method, ...) sends EHLO first and checks that the method is offered.
    if (o.auth == "login") {
        session.login(SecureSMTPClientSession::AUTH_LOGIN, o.user, o.password);
        std::cout << "auth LOGIN ok" << std::endl;
    } else {
        session.login(SecureSMTPClientSession::AUTH_PLAIN, o.user, o.password);
        std::cout << "auth PLAIN ok" << std::endl;
    }
}

int run(const Options &o)
{
    const Poco::Net::SocketAddress address(o.host, o.port);
    std::unique_ptr<SecureSMTPClientSession> session;
    if (o.mode == "starttls" || o.mode == "plain") {
        session = std::make_unique<SecureSMTPClientSession>(o.host, o.port);
        session->setTimeout(Poco::Timespan(30, 0));
        session->login(); // greeting + EHLO
        std::cout << "ehlo ok" << std::endl;
        if (o.mode == "starttls") {
            if (!session->startTLS(clientContext(o))) {
                std::cout << "error starttls refused" << std::endl;
                return 3;
            }
            std::cout << "tls yes" << std::endl;
            authenticate(*session, o);
        }
    } else if (o.mode == "smtps") {
        const Poco::Net::SecureStreamSocket socket = o.servername.empty()
            ? Poco::Net::SecureStreamSocket(address, clientContext(o))
            : Poco::Net::SecureStreamSocket(address, o.servername, clientContext(o));
        std::cout << "tls " << (socket.secure() ? "yes" : "no") << std::endl;
        session = std::make_unique<SecureSMTPClientSession>(socket);
        session->setTimeout(Poco::Timespan(30, 0));
        authenticate(*session, o); // reads the greeting, EHLO, AUTH
    } else {
        std::cerr << kUsage << std::endl;
        return 2;
    }
    MailMessage message;
    buildMessage(o, message);
    session->sendMessage(message);
    std::cout << "sent ok" << std::endl;
    session->close();
    std::cout << "quit ok" << std::endl;
    return 0;
}

bool parse(int argc, char **argv, Options &o)
{
    if (argc < 7)
        return false;
    o.mode = argv[1];
    o.host = argv[2];
    o.port = Poco::UInt16(std::stoi(argv[3]));
    o.user = argv[4];
    o.password = argv[5];
    o.rcpt = argv[6];
    for (int i = 7; i < argc; i += 2) {
        if (i + 1 >= argc)
            return false;
        const std::string flag = argv[i];
        const std::string value = argv[i + 1];
        if (flag == "--auth")
            o.auth = value;
        else if (flag == "--subject")
            o.subject = value;
        else if (flag == "--body")
            o.body = value;
        else if (flag == "--attach")
            o.attach = value;
        else if (flag == "--cafile")
            o.cafile = value;
        else if (flag == "--servername")
            o.servername = value;
        else
            return false;
    }
    return o.auth == "plain" || o.auth == "login";
}
} // namespace

int main(int argc, char **argv)
{
    Options options;
    if (!parse(argc, argv, options)) {
        std::cerr << kUsage << std::endl;
        return 2;
    }
    Poco::Net::initializeSSL();
    int rc = 1;
    try {
        rc = run(options);
    } catch (const Poco::Net::SMTPException &e) {
        // The server said no: its reply code, then Poco's step and the reply text.
        std::cout << "error " << e.code() << ' ' << e.message() << std::endl;
        rc = 3;
    } catch (const Poco::Exception &e) {
        std::cout << "error " << e.displayText() << std::endl;
    } catch (const std::exception &e) {
        std::cout << "error " << e.what() << std::endl;
    }
    Poco::Net::uninitializeSSL();
    return rc;
}
