using AuroraSoc.NetlinkIsolation.Isolation;

namespace AuroraSoc.NetlinkIsolation.Cli.Core;

/// <summary><c>--allow-peers-from FILE|-</c>: the allowlist streamed line by line into the policy, never held as one string.</summary>
internal static class PeerListFile
{
    private const string Option = "--allow-peers-from";

    // Large reads: 100,000 lines are a few megabytes; the default 4 KiB buffer would cost a read(2) per 100 lines.
    private const int BufferBytes = 64 * 1024;

    /// <summary><paramref name="policy"/> with the peers of <paramref name="path"/> ("-": stdin); unchanged when no list is given.</summary>
    /// <exception cref="InvalidArgumentException">The file is missing or unreadable (exit 2, nothing changed).</exception>
    public static IsolationPolicy Apply(IsolationPolicy policy, string? path)
    {
        if (path is null)
        {
            return policy;
        }

        try
        {
            using StreamReader reader = path == "-"
                ? new StreamReader(Console.OpenStandardInput(), bufferSize: BufferBytes)
                : new StreamReader(new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, BufferBytes, FileOptions.SequentialScan), bufferSize: BufferBytes);
            return policy.WithAllowedPeersFrom(reader, path);
        }
        catch (IOException exception)
        {
            throw new InvalidArgumentException(Option, path, $"cannot be read: {exception.Message}");
        }
        catch (UnauthorizedAccessException exception)
        {
            throw new InvalidArgumentException(Option, path, $"cannot be read: {exception.Message}");
        }
    }
}
