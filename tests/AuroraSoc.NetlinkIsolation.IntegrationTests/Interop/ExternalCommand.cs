using AuroraSoc.NetlinkIsolation.IntegrationTests.Infrastructure;

namespace AuroraSoc.NetlinkIsolation.IntegrationTests.Interop;

/// <summary>Runs a system tool (ip, stat, mkfifo) for the interop tests, through the shared <see cref="ProcessRunner"/>.</summary>
internal static class ExternalCommand
{
    public static Task<(int ExitCode, string Output, string Errors)> RunAsync(string fileName, string[] arguments, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        ProcessResult result = ProcessRunner.Run(fileName, arguments);
        return Task.FromResult((result.ExitCode, result.StandardOutput, result.StandardError));
    }
}
