namespace AuroraSoc.NetlinkIsolation.Intent;

/// <summary>
/// What one stat(2) says of an intent file: its modification time (nanosecond resolution on Linux file systems) and
/// size. Every write of an intent is a new temporary file renamed over the old one, under the state directory's lock,
/// so while the guard holds that lock an unchanged stamp means an unchanged intent: reacting to a tamper then skips
/// reading and parsing the file, the largest part of the reaction after the commit itself.
/// </summary>
internal readonly record struct IntentFileStamp(long LastWriteTicks, long Length)
{
    /// <summary>The file's stamp, or null when it does not exist (or cannot be examined: the caller reads it and finds out).</summary>
    public static IntentFileStamp? Of(string path)
    {
        try
        {
            var file = new FileInfo(path);
            return file.Exists ? new IntentFileStamp(file.LastWriteTimeUtc.Ticks, file.Length) : null;
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }
}
