namespace AuroraSoc.NetlinkIsolation.Cli.Core;

/// <summary>
/// How an executable runs <c>guard</c>, called once its options are valid (invalid ones exit 2 before). aurorasoc-isolate
/// execs aurorasoc-isolate-guard in place, which hosts the guard in-process: each passes its own from Program.cs, so
/// the guard's code is only in the image that runs it (docs/benchmarks.md, "Cold start";
/// docs/adr/0005-guard-executable.md).
/// </summary>
/// <param name="arguments">The guard's options, checked.</param>
/// <param name="error">Where the one line of a failure to start goes.</param>
/// <returns>The exit code: 0 stopped by SIGTERM/SIGINT, 1 could not start.</returns>
internal delegate int GuardRunner(GuardArguments arguments, TextWriter error);
