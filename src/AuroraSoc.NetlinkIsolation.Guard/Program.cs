using AuroraSoc.NetlinkIsolation.Cli.Core;
using AuroraSoc.NetlinkIsolation.Guard;

// aurorasoc-isolate-guard: every command of the core; `guard` hosts IsolationGuard and `watch` subscribes to NFLOG in
// this process.
return IsolateCli.Run(args, new CommandEnvironment(GuardHost.Run, WatchSession.Run));
