using System.Runtime.InteropServices;

namespace AuroraSoc.NetlinkIsolation.Testing.Processes;

/// <summary>The <c>dotnet</c> executable that runs managed children (the CLI's dll, a helper mode of a test assembly).</summary>
public static class DotnetHost
{
    /// <summary>An absolute path, so that it also works for children started with an empty PATH or under sudo, whose
    /// PATH may not contain the SDK.</summary>
    public static string Path { get; } = Find();

    private static string Find()
    {
        // dotnet test and dotnet run say which host they are; a test assembly or demo run as an apphost does not,
        // but its runtime directory <root>/shared/Microsoft.NETCore.App/<version>/ puts the host at <root>/dotnet.
        string[] candidates =
        [
            Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") ?? string.Empty,
            Environment.ProcessPath is { } self && System.IO.Path.GetFileName(self) == "dotnet" ? self : string.Empty,
            System.IO.Path.GetFullPath(System.IO.Path.Combine(RuntimeEnvironment.GetRuntimeDirectory(), "..", "..", "..", "dotnet")),
            Requirements.FindOnPath("dotnet") ?? string.Empty,
            "/usr/share/dotnet/dotnet",
        ];
        string found = candidates.FirstOrDefault(c => c.Length > 0 && File.Exists(c)) ?? "dotnet";
        return File.Exists(found)
            ? new FileInfo(found).ResolveLinkTarget(returnFinalTarget: true)?.FullName ?? System.IO.Path.GetFullPath(found)
            : found;
    }
}
