namespace AuroraSoc.NetlinkIsolation.Cli.Core;

/// <summary>The whole surface of cli.md: the program's description and its commands, each a declarative table.</summary>
internal static class CliSyntax
{
    public const string Description = "Quarantine a Linux host or one network namespace with nf_tables, programmed directly over netlink. Only the collectors and allowed peers stay reachable.";

    public static IReadOnlyList<CliCommand> Commands { get; } =
    [
        IsolateCommand.Syntax,
        UnisolateCommand.Syntax,
        StatusCommand.Syntax,
        RestoreCommand.Syntax,
        ShowCommand.Syntax,
        GuardCommand.Syntax,
        BlockedCommand.Syntax,
        WatchCommand.Syntax,
    ];
}
