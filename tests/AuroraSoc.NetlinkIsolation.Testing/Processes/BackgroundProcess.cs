using System.Diagnostics;

namespace AuroraSoc.NetlinkIsolation.Testing.Processes;

/// <summary>A child process that runs until it exits or this handle is disposed (which kills its tree).</summary>
public sealed class BackgroundProcess : IDisposable
{
    private readonly Process process;
    private readonly Task<string> stdoutTask;
    private readonly Task<string> stderrTask;

    internal BackgroundProcess(Process process, string commandLine)
    {
        this.process = process;
        CommandLine = commandLine;
        stdoutTask = process.StandardOutput.ReadToEndAsync();
        stderrTask = process.StandardError.ReadToEndAsync();
        process.StandardInput.Close();
    }

    public string CommandLine { get; }

    public int Id => process.Id;

    public bool HasExited => process.HasExited;

    /// <summary>Waits for the process to exit on its own; returns null on timeout (the process keeps running).</summary>
    public ProcessResult? WaitForExit(TimeSpan timeout)
    {
        if (!process.WaitForExit(timeout))
        {
            return null;
        }

        Task.WaitAll([stdoutTask, stderrTask], TimeSpan.FromSeconds(5));
        return new ProcessResult(process.ExitCode, TryGetCompleted(stdoutTask), TryGetCompleted(stderrTask))
        {
            CommandLine = CommandLine,
        };
    }

    private static string TryGetCompleted(Task<string> task) => task.IsCompletedSuccessfully ? task.Result : string.Empty;

    public void Dispose()
    {
        ProcessRunner.KillTree(process);
        process.Dispose();
    }
}
