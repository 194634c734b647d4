namespace AuroraSoc.NetlinkIsolation.Cli.Core;

/// <summary>
/// How an executable runs <c>watch</c>. aurorasoc-isolate execs aurorasoc-isolate-guard in place, which runs
/// <see cref="WatchSession.Run"/>: the NFLOG subscriber, its packet parsers, the process lookup and the signal handling
/// that ends a watch with its summary (which brings the thread pool) are then only in the image of the long-running
/// commands, not in the one every isolate, status and unisolate starts (docs/adr/0005-guard-executable.md).
/// </summary>
/// <param name="line">The parsed command line; the runner checks the watch's own options.</param>
/// <param name="environment">The streams and the kernel.</param>
/// <returns>The exit code (see <see cref="WatchCommand"/>).</returns>
internal delegate int WatchRunner(ParsedCommandLine line, CommandEnvironment environment);
