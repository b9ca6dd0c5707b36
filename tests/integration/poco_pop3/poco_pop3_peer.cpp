// poco_pop3_peer: an independent POP3 client for the integration tests
// (DESIGN §8), built on Poco::Net::POP3ClientSession. It logs in, lists the
// maildrop, retrieves a message, optionally deletes one, and quits, printing
// one line per step for test_pop3.py to check. Poco 1.11's client has no STLS
// of its own, so "stls" mode sends STLS itself, attaches a SecureStreamSocket
// (TLS handshake) to the same connection and then logs in with USER/PASS.
// Trust level: test code; talks only to the engine under test.
//
// usage: poco_pop3_peer plain|stls|pop3s HOST PORT USER PASSWORD [DELETE_ID]
#include <iostream>
#include <memory>
#include <sstream>
#include <string>

#include <Poco/Exception.h>
#include <Poco/Net/Context.h>
#include <Poco/Net/DialogSocket.h>
#include <Poco/Net/MessageHeader.h>
#include <Poco/Net/NetSSL.h>
#include <Poco/Net/POP3ClientSession.h>
#include <Poco/Net/SecureStreamSocket.h>
#include <Poco/Net/SocketAddress.h>
#include <Poco/Net/StreamSocket.h>

using Poco::Net::Context;
using Poco::Net::POP3ClientSession;

namespace
{
Context::Ptr clientContext()
{
    Context::Params params;
    params.verificationMode = Context::VERIFY_NONE; // the engine's certificate is self-signed
    return new Context(Context::TLS_CLIENT_USE, params);
}

void expectOk(bool ok, const std::string &what, const std::string &response)
{
    if (!ok)
        throw Poco::Exception(what + " refused: " + response);
}

int run(const std::string &mode,
    const std::string &host,
    Poco::UInt16 port,
    const std::string &user,
    const std::string &password,
    int deleteId)
{
    const Poco::Net::SocketAddress address(host, port);
    std::unique_ptr<POP3ClientSession> session;
    if (mode == "plain") {
        session = std::make_unique<POP3ClientSession>(host, port);
        session->setTimeout(Poco::Timespan(30, 0));
        session->login(user, password);
    } else if (mode == "pop3s") {
        Poco::Net::SecureStreamSocket socket(address, clientContext());
        session = std::make_unique<POP3ClientSession>(socket);
        session->setTimeout(Poco::Timespan(30, 0));
        session->login(user, password);
    } else if (mode == "stls") {
        Poco::Net::StreamSocket plain(address);
        plain.setReceiveTimeout(Poco::Timespan(30, 0));
        std::string response;
        {
            Poco::Net::DialogSocket dialog(plain);
            dialog.receiveMessage(response);
            expectOk(response.rfind("+OK", 0) == 0, "greeting", response);
            dialog.sendMessage("STLS");
            dialog.receiveMessage(response);
            expectOk(response.rfind("+OK", 0) == 0, "STLS", response);
        }
        Poco::Net::SecureStreamSocket secure = Poco::Net::SecureStreamSocket::attach(plain, clientContext());
        std::cout << "tls " << (secure.secure() ? "yes" : "no") << std::endl;
        session = std::make_unique<POP3ClientSession>(secure);
        session->setTimeout(Poco::Timespan(30, 0));
        // No greeting after STLS (RFC 2595 §4), so not login(): it reads one.
        expectOk(session->sendCommand("USER", user, response), "USER", response);
        expectOk(session->sendCommand("PASS", password, response), "PASS", response);
    } else {
        std::cerr << "unknown mode " << mode << std::endl;
        return 2;
    }
    std::cout << "login ok" << std::endl;
    std::cout << "count " << session->messageCount() << std::endl;
    POP3ClientSession::MessageInfoVec messages;
    session->listMessages(messages);
    for (const auto &m : messages)
        std::cout << "list " << m.id << ' ' << m.size << std::endl;
    if (!messages.empty()) {
        std::ostringstream content;
        session->retrieveMessage(messages.front().id, content);
        // Poco undoes the byte-stuffing; the bytes are the message as stored.
        std::cout << "retr " << messages.front().id << ' ' << content.str().size() << std::endl;
        Poco::Net::MessageHeader header;
        session->retrieveHeader(messages.front().id, header);
        std::cout << "subject " << header.get("Subject", "") << std::endl;
    }
    if (deleteId > 0) {
        session->deleteMessage(deleteId);
        std::cout << "dele " << deleteId << std::endl;
    }
    session->close();
    std::cout << "quit ok" << std::endl;
    return 0;
}
} // namespace

int main(int argc, char **argv)
{
    if (argc < 6) {
        std::cerr << "usage: poco_pop3_peer plain|stls|pop3s HOST PORT USER PASSWORD [DELETE_ID]" << std::endl;
        return 2;
    }
    Poco::Net::initializeSSL();
    int rc = 1;
    try {
        rc = run(
            argv[1], argv[2], Poco::UInt16(std::stoi(argv[3])), argv[4], argv[5], argc > 6 ? std::stoi(argv[6]) : 0);
    } catch (const Poco::Exception &e) {
        std::cout << "error " << e.displayText() << std::endl;
    } catch (const std::exception &e) {
        std::cout << "error " << e.what() << std::endl;
    }
    Poco::Net::uninitializeSSL();
    return rc;
}
