using AuroraSoc.NetlinkIsolation.Intent;
using AuroraSoc.NetlinkIsolation.Testing.Namespaces;
using AuroraSoc.NetlinkIsolation.Testing.Processes;

namespace AuroraSoc.NetlinkIsolation.Demo;

/// <summary>
/// Runs the real <c>aurorasoc-isolate</c>, always with <c>--netns</c> of the demo host: the CLI's default target is
/// the namespace it runs in, which here would be the machine's own. Its intents go to a temporary state directory
/// (<c>AURORASOC_STATE_DIR</c>, removed when the demo exits), never to the machine's <c>/var/lib/aurorasoc-isolate</c>.
/// </summary>
internal sealed class CliDriver
{
    private readonly string[] _launcher;
    private readonly ThrowawayNamespace _host;

    private CliDriver(string[] launcher, ThrowawayNamespace host)
    {
        _launcher = launcher;
        _host = host;
    }

    /// <summary>What is run, for the transcript.</summary>
    public string Description => string.Join(' ', _launcher);

    /// <summary>
    /// The CLI given with <c>--cli</c> (a native binary such as the NativeAOT publish, or a dll), else the
    /// aurorasoc-isolate.dll built next to the demo (the demo references the CLI project).
    /// </summary>
    public static CliDriver Locate(string? explicitPath, ThrowawayNamespace host)
    {
        string path = explicitPath ?? Path.Combine(AppContext.BaseDirectory, "aurorasoc-isolate.dll");
        if (!File.Exists(path))
        {
            throw new FileNotFoundException($"the aurorasoc-isolate CLI was not found at {path}", path);
        }

        path = Path.GetFullPath(path);
        UseTemporaryStateDirectory();
        return new CliDriver(path.EndsWith(".dll", StringComparison.Ordinal) ? [DotnetHost.Path, path] : [path], host);
    }

    /// <summary>Runs <c>aurorasoc-isolate COMMAND ARGS… --netns /run/netns/HOST</c>.</summary>
    public ProcessResult Run(string command, params string[] arguments)
        => ProcessRunner.Run(_launcher[0], [.. _launcher[1..], command, .. arguments, "--netns", _host.Path]);

    private static void UseTemporaryStateDirectory()
    {
        DirectoryInfo root = Directory.CreateTempSubdirectory("aurorasoc-demo-state-");
        Environment.SetEnvironmentVariable(IntentStore.DirectoryEnvironmentVariable, Path.Combine(root.FullName, "state"));
        AppDomain.CurrentDomain.ProcessExit += (_, _) => root.Delete(recursive: true);
    }
}
