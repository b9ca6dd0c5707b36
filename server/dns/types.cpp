// Names of the DNS answer codes, for logs and test output.
// Trust level: internal.
#include "dns/types.h"

namespace mailroom::dns
{

const char *rcodeName(Rcode rcode)
{
    switch (rcode) {
    case Rcode::Ok:
        return "Ok";
    case Rcode::NoData:
        return "NoData";
    case Rcode::NxDomain:
        return "NxDomain";
    case Rcode::TempFail:
        return "TempFail";
    case Rcode::Malformed:
        return "Malformed";
    }
    return "?";
}

} // namespace mailroom::dns
