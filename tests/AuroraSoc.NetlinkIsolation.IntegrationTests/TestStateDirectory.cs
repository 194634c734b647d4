using System.Runtime.CompilerServices;
using AuroraSoc.NetlinkIsolation.Intent;

namespace AuroraSoc.NetlinkIsolation.IntegrationTests;

/// <summary>
/// Points <c>AURORASOC_STATE_DIR</c> at a temporary directory for this test process and everything it starts (the
/// CLI, helper processes), before any test runs: an isolate without <c>--state-dir</c> must never record an intent in
/// the machine's <c>/var/lib/aurorasoc-isolate</c>. The directory is removed when the process exits. A value already
/// in the environment (a helper started by a test, or a deliberate choice) is kept.
/// </summary>
internal static class TestStateDirectory
{
    /// <summary>The state directory of this test run (created on first use by whatever records an intent).</summary>
    public static string Path { get; private set; } = string.Empty;

#pragma warning disable CA2255 // A module initializer is the only hook that runs before xunit starts any test.
    [ModuleInitializer]
#pragma warning restore CA2255
    internal static void PointAtTemporaryDirectory()
    {
        if (Environment.GetEnvironmentVariable(IntentStore.DirectoryEnvironmentVariable) is { Length: > 0 } inherited)
        {
            Path = inherited;
            return;
        }

        DirectoryInfo root = Directory.CreateTempSubdirectory("aurorasoc-test-state-");
        Path = System.IO.Path.Combine(root.FullName, "state");
        Environment.SetEnvironmentVariable(IntentStore.DirectoryEnvironmentVariable, Path);
        AppDomain.CurrentDomain.ProcessExit += (_, _) =>
        {
            try
            {
                root.Delete(recursive: true);
            }
            catch (IOException)
            {
                // Left in the temp directory; harmless.
            }
        };
    }
}
