using AuroraSoc.NetlinkIsolation.Cli.Core;
using AuroraSoc.NetlinkIsolation.Interop;
using AuroraSoc.NetlinkIsolation.Interop.Process;

namespace AuroraSoc.NetlinkIsolation.Cli;

/// <summary>
/// <c>aurorasoc-isolate guard</c> and <c>aurorasoc-isolate watch</c> become <c>aurorasoc-isolate-guard guard</c> and
/// <c>… watch</c>, in place: the long-running commands' code is only in that image (docs/adr/0005-guard-executable.md).
/// </summary>
internal static class GuardExecutable
{
    /// <summary>The guard's executable, installed next to <c>aurorasoc-isolate</c>.</summary>
    public const string ExecutableName = "aurorasoc-isolate-guard";

    /// <summary>
    /// execv, not a child: the pid systemd (Type=notify) or a container runtime started stays the guard's, signals reach
    /// it, and READY=1 comes from it. argv is passed on unchanged, argv[0] included, so the process is still found
    /// as the program that was started (<c>pidof aurorasoc-isolate</c>), and the guard reads its options again from it.
    /// Returns only when the executable cannot run.
    /// </summary>
    /// <param name="arguments">Checked already; the guard's executable reads the same argv.</param>
    /// <param name="error">Where the line saying why the guard could not start goes.</param>
    public static int ExecGuard(GuardArguments arguments, TextWriter error) => ExecInPlace("guard", error);

    /// <summary><c>watch</c>, as <see cref="ExecGuard"/>: the guard's executable checks the watch's options and runs it.</summary>
    public static int ExecWatch(ParsedCommandLine line, CommandEnvironment environment)
    {
        ArgumentNullException.ThrowIfNull(environment);
        return ExecInPlace("watch", environment.Error);
    }

    private static int ExecInPlace(string command, TextWriter error)
    {
        ArgumentNullException.ThrowIfNull(error);
        string path = Path.Combine(AppContext.BaseDirectory, ExecutableName);
        string[] argv = Environment.GetCommandLineArgs();
        int errno = ProcessImage.Exec(path, argv);
        error.WriteLine($"{CommandOutput.ProgramName}: {command} could not start: cannot run {path}: {Errno.Name(errno)} ({Errno.Describe(errno)}); install {ExecutableName} next to {CommandOutput.ProgramName} (both come from the same publish)");
        return ExitCodes.Failed;
    }
}
