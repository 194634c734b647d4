using AuroraSoc.NetlinkIsolation.Interop;
using AuroraSoc.NetlinkIsolation.Interop.Process;

namespace AuroraSoc.NetlinkIsolation.Cli;

/// <summary><c>aurorasoc-isolate guard</c> becomes <c>aurorasoc-isolate-guard guard</c>, in place.</summary>
internal static partial class GuardCommand
{
    /// <summary>The guard's executable, installed next to <c>aurorasoc-isolate</c>.</summary>
    public const string ExecutableName = "aurorasoc-isolate-guard";

    /// <summary>
    /// execv, not a child: the pid systemd (Type=notify) or a container runtime started stays the guard's, signals reach
    /// it, and READY=1 comes from it. argv is passed on unchanged, argv[0] included, so the process is still found
    /// as the program that was started (<c>pidof aurorasoc-isolate</c>). Returns only when the executable cannot run.
    /// </summary>
    private static partial int Run(ParsedCommandLine line)
    {
        string path = Path.Combine(AppContext.BaseDirectory, ExecutableName);
        string[] argv = Environment.GetCommandLineArgs();
        int errno = ProcessImage.Exec(path, argv);
        Console.Error.WriteLine($"{CommandOutput.ProgramName}: guard could not start: cannot run {path}: {Errno.Name(errno)} ({Errno.Describe(errno)}); install {ExecutableName} next to {CommandOutput.ProgramName} (both come from the same publish)");
        return ExitCodes.Failed;
    }
}
