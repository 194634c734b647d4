using AuroraSoc.NetlinkIsolation.Intent;

namespace AuroraSoc.NetlinkIsolation.Cli;

/// <summary>Turns <c>--state-dir DIR</c> / <c>--ephemeral</c> into the store a command records intents in.</summary>
internal static class IntentStoreOption
{
    /// <summary>
    /// The store at <c>--state-dir</c>, else at <see cref="IntentStore.DefaultDirectory"/>; null with <c>--ephemeral</c>.
    /// An empty <c>--state-dir</c> is refused rather than read as "the default": the operator meant some directory.
    /// </summary>
    public static IntentStore? Open(ParsedCommandLine line)
    {
        if (line.Has(CliOptions.Ephemeral))
        {
            return null;
        }

        string? directory = line.Value(CliOptions.StateDir);
        if (directory is not null && (string.IsNullOrWhiteSpace(directory) || directory.Contains('\0', StringComparison.Ordinal)))
        {
            throw new InvalidArgumentException("--state-dir", directory, "must be the path of a directory (it is created, mode 0700, when missing)");
        }

        return new IntentStore(directory ?? IntentStore.DefaultDirectory);
    }
}
