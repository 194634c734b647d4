using AuroraSoc.NetlinkIsolation.Intent;

namespace AuroraSoc.NetlinkIsolation.Cli.Core;

/// <summary>Turns <c>--state-dir DIR</c> / <c>--ephemeral</c> into the store a command records intents in.</summary>
internal static class IntentStoreOption
{
    /// <summary>
    /// The store at <c>--state-dir</c>, else at <see cref="IntentStore.DefaultDirectory"/>; null with <c>--ephemeral</c>.
    /// </summary>
    public static IntentStore? Open(ParsedCommandLine line)
    {
        if (line.Has(CliOptions.Ephemeral))
        {
            return null;
        }

        return new IntentStore(Directory(line) ?? IntentStore.DefaultDirectory);
    }

    /// <summary>
    /// <c>--state-dir</c> as given, null when not given. An empty one is refused rather than read as "the default": the
    /// operator meant some directory.
    /// </summary>
    public static string? Directory(ParsedCommandLine line)
    {
        string? directory = line.Value(CliOptions.StateDir);
        if (directory is not null && (string.IsNullOrWhiteSpace(directory) || directory.Contains('\0', StringComparison.Ordinal)))
        {
            throw new InvalidArgumentException("--state-dir", directory, "must be the path of a directory (it is created, mode 0700, when missing)");
        }

        return directory;
    }
}
