using AuroraSoc.NetlinkIsolation.Cli.Core;
using AuroraSoc.NetlinkIsolation.Guard;

// aurorasoc-isolate-guard: every command of the core; `guard` hosts IsolationGuard in this process.
return IsolateCli.Run(args, new CommandEnvironment(GuardHost.Run));
