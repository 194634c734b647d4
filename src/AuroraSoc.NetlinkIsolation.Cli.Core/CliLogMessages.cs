using AuroraSoc.NetlinkIsolation.Isolation;
using Microsoft.Extensions.Logging;

namespace AuroraSoc.NetlinkIsolation.Cli.Core;

/// <summary>The CLI's own source-generated log events (the library logs the kernel work itself).</summary>
internal static partial class CliLogMessages
{
    [LoggerMessage(EventId = 100, Level = LogLevel.Debug, Message = "{Command} table inet {Table} in {Namespace}")]
    public static partial void Starting(ILogger logger, string command, string table, string @namespace);

    [LoggerMessage(EventId = 101, Level = LogLevel.Debug, Message = "Policy: {Collectors} collector(s), {Peers} allowed peer(s), DNS {Dns} ({Resolvers} resolver(s)), DHCP {Dhcp}, mode {Mode}, forward chain {BlockForwarding}, TCP reset {RejectTcp}")]
    public static partial void Policy(ILogger logger, int collectors, int peers, DnsPolicy dns, int resolvers, bool dhcp, IsolationMode mode, bool blockForwarding, bool rejectTcp);
}
