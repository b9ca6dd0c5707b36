// mailroomd's exit codes (BSD sysexits values, so service managers and
// scripts can tell failures apart). Documented in docs/running.md.
#pragma once

namespace mailroom::exitcode
{
constexpr int Ok = 0;
constexpr int Usage = 64; // bad command line
constexpr int Config = 78; // bad setting or configuration file
constexpr int DataFolder = 73; // data folder cannot be created, written or opened
constexpr int InUse = 75; // another mailroomd uses the data folder
constexpr int PortUnavailable = 69; // a listener cannot bind its port
constexpr int Io = 74; // store or admin socket failure
} // namespace mailroom::exitcode
