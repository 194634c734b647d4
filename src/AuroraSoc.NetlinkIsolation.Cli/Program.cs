using AuroraSoc.NetlinkIsolation.Cli;
using AuroraSoc.NetlinkIsolation.Cli.Core;

// aurorasoc-isolate: every command of the core; `guard` and `watch` become aurorasoc-isolate-guard, in place.
return IsolateCli.Run(args, new CommandEnvironment(GuardExecutable.ExecGuard, GuardExecutable.ExecWatch));
