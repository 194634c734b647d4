using System.Reflection;

namespace AuroraSoc.NetlinkIsolation.IntegrationTests.Cli;

/// <summary>
/// Runs the real <c>aurorasoc-isolate</c> as a child process. Every privileged run is confined with
/// <c>ip netns exec JAIL</c>, so even a CLI that ignored <c>--netns</c> (or mistook an empty one for "no
/// namespace") would act on a throwaway namespace and never on this machine's own.
/// </summary>
internal static class CliProcess
{
    /// <summary>Set to another build of the CLI to test that instead of the project build (<see cref="CliExecutables"/>).</summary>
    public const string OverrideVariable = CliExecutables.OverrideVariable;

    private static readonly Lazy<string[]> Launcher = new(Locate);

    // `watch` is served by aurorasoc-isolate-guard, which a publish puts beside the CLI and the CLI execs. A project
    // build of the CLI (run with dotnet) has none beside it, so there the guard's own build runs watch.
    private static readonly Lazy<string[]> WatchLauncher = new(() => Launcher.Value.Length == 1 ? Launcher.Value : LocateGuard());

    /// <summary>
    /// Runs the CLI in this process's namespace. Only for runs that never reach the kernel (help, version) or that
    /// name a throwaway namespace with <c>--netns</c> (the wire tests' "from outside" driver).
    /// </summary>
    public static ProcessResult RunUnconfined(params string[] args)
    {
        string[] launcher = Launcher.Value;
        return ProcessRunner.Run(launcher[0], [.. launcher[1..], .. args]);
    }

    /// <summary>
    /// How the CLI is started: the native binary alone, or <c>dotnet</c> and the CLI's assembly (the project build, or
    /// the assembly <see cref="OverrideVariable"/> names).
    /// </summary>
    public static IReadOnlyList<string> Launch => Launcher.Value;

    /// <summary>Runs <c>ip netns exec JAIL aurorasoc-isolate ARGS…</c>.</summary>
    public static ProcessResult RunIn(ThrowawayNamespace jail, params string[] args)
    {
        ArgumentNullException.ThrowIfNull(jail);
        return jail.Exec([.. For(args), .. args]);
    }

    private static string[] For(string[] args) => args is ["watch", ..] ? WatchLauncher.Value : Launcher.Value;

    /// <summary>
    /// Like <see cref="RunIn"/>, but the CLI runs without CAP_NET_ADMIN (capsh drops it from the bounding set, so
    /// root's exec of the CLI does not get it back). CAP_SYS_ADMIN stays, so <c>--netns</c> can still be entered
    /// and the failure is the nfnetlink permission check itself.
    /// </summary>
    public static ProcessResult RunWithoutNetAdminIn(ThrowawayNamespace jail, params string[] args)
    {
        ArgumentNullException.ThrowIfNull(jail);
        if (Requirements.FindOnPath("capsh") is not null)
        {
            return jail.Exec(["capsh", "--drop=cap_net_admin", "--", "-c", "exec \"$0\" \"$@\"", .. For(args), .. args]);
        }

        if (Requirements.FindOnPath("setpriv") is not null)
        {
            return jail.Exec(["setpriv", "--inh-caps=-all", "--bounding-set=-net_admin", .. For(args), .. args]);
        }

        Requirements.Unavailable("neither capsh (libcap2-bin) nor setpriv (util-linux) is installed; cannot drop CAP_NET_ADMIN");
        return null;
    }

    /// <summary>The stderr lines of a run (the contract: exactly one for every failure).</summary>
    public static string[] StandardErrorLines(ProcessResult result)
    {
        ArgumentNullException.ThrowIfNull(result);
        return result.StandardError.Split('\n', StringSplitOptions.RemoveEmptyEntries);
    }

    private static string[] Locate()
    {
        // Built here, in the configuration these tests were built in, so `dotnet test` of this project alone (or a
        // fresh clone in CI) never runs a stale or missing CLI. When the solution build already built it, this is
        // an up-to-date check of a few seconds.
        string configuration = typeof(CliProcess).Assembly.GetCustomAttribute<AssemblyConfigurationAttribute>()?.Configuration ?? "Debug";
        if (CliExecutables.Override is null)
        {
            string project = Path.Combine(RepositoryPaths.Root, "src", "AuroraSoc.NetlinkIsolation.Cli", "AuroraSoc.NetlinkIsolation.Cli.csproj");
            ProcessRunner.Run(DotnetHost.Path, ["build", project, "-c", configuration, "-nologo", "-v:q", "-nodeReuse:false"], timeout: TimeSpan.FromMinutes(5)).EnsureSuccess();
        }

        return CliExecutables.Launcher(CliExecutables.CliName, configuration);
    }

    private static string[] LocateGuard()
    {
        string configuration = typeof(CliProcess).Assembly.GetCustomAttribute<AssemblyConfigurationAttribute>()?.Configuration ?? "Debug";
        string project = Path.Combine(RepositoryPaths.Root, "src", "AuroraSoc.NetlinkIsolation.Guard", "AuroraSoc.NetlinkIsolation.Guard.csproj");
        ProcessRunner.Run(DotnetHost.Path, ["build", project, "-c", configuration, "-nologo", "-v:q", "-nodeReuse:false"], timeout: TimeSpan.FromMinutes(5)).EnsureSuccess();
        return CliExecutables.Launcher(CliExecutables.GuardName, configuration);
    }
}
