using System.Globalization;
using System.Text;
using System.Text.Json;
using AuroraSoc.NetlinkIsolation.Interop;
using AuroraSoc.NetlinkIsolation.Interop.FileSystem;
using AuroraSoc.NetlinkIsolation.Isolation;

namespace AuroraSoc.NetlinkIsolation.Intent;

/// <summary>
/// The state directory: one JSON intent file per (target, table), written atomically (temporary file, fsync, rename,
/// fsync of the directory), so a reader sees the old file or the new one, never a torn one, and a crash loses at most
/// the change in flight. The directory is created with mode 0700 and files with 0600; a directory others can write to
/// is refused. Changes are serialised by <see cref="AcquireLock"/>; reads need no lock.
/// </summary>
public sealed class IntentStore
{
    /// <summary>The environment variable that names the state directory when no directory is given.</summary>
    public const string DirectoryEnvironmentVariable = "AURORASOC_STATE_DIR";

    /// <summary>The state directory when neither a directory nor <see cref="DirectoryEnvironmentVariable"/> is given.</summary>
    public const string SystemDirectory = "/var/lib/aurorasoc-isolate";

    private const string LockFileName = "lock";
    private const string IntentExtension = ".json";
    private const string TemporaryMarker = ".tmp-";
    private const UnixFileMode DirectoryMode = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute;
    private const UnixFileMode FileMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;

    /// <summary>The intent store in <paramref name="directory"/> (made absolute); nothing is created until an intent is recorded.</summary>
    /// <param name="directory">The state directory, e.g. <see cref="DefaultDirectory"/>.</param>
    public IntentStore(string directory)
    {
        ArgumentException.ThrowIfNullOrEmpty(directory);
        Directory = Path.GetFullPath(directory);
    }

    /// <summary><c>$AURORASOC_STATE_DIR</c> when set and not empty, else <c>/var/lib/aurorasoc-isolate</c>.</summary>
    public static string DefaultDirectory
        => Environment.GetEnvironmentVariable(DirectoryEnvironmentVariable) is { Length: > 0 } directory ? directory : SystemDirectory;

    /// <summary>The state directory, as an absolute path.</summary>
    public string Directory { get; }

    /// <summary>
    /// Creates the directory if needed and blocks until this caller holds the exclusive lock on <c>DIR/lock</c>.
    /// Temporary files left by a writer that died mid-write are removed when the lock is released: no reader takes them
    /// for intents (their names start with a dot), and swept after the holder's work they do not delay its commit.
    /// </summary>
    /// <exception cref="IntentStoreException">The directory cannot be created or locked, or others can write to it.</exception>
    internal IntentLock AcquireLock()
    {
        EnsureDirectory();
        string path = Path.Combine(Directory, LockFileName);
        int error = ExclusiveFileLock.TryAcquire(path, out ExclusiveFileLock? fileLock);
        if (error != 0)
        {
            throw new IntentStoreException(path, $"cannot lock {path}: {Errno.Describe(error)} ({Errno.Name(error)}){FixFor(error)}");
        }

        return new IntentLock(path, fileLock!, RemoveStaleTemporaryFiles);
    }

    /// <summary>Every intent file in the directory, in file-name order; files that cannot be read come with their error.</summary>
    internal IReadOnlyList<IntentEntry> ReadAll()
    {
        if (!System.IO.Directory.Exists(Directory))
        {
            return [];
        }

        string[] files = System.IO.Directory.GetFiles(Directory, "*" + IntentExtension);
        Array.Sort(files, StringComparer.Ordinal);
        var entries = new List<IntentEntry>(files.Length);
        foreach (string file in files)
        {
            if (Path.GetFileName(file).StartsWith('.'))
            {
                continue;
            }

            try
            {
                entries.Add(new IntentEntry(file, Parse(file, File.ReadAllBytes(file)), null));
            }
            catch (IntentCorruptException exception)
            {
                entries.Add(new IntentEntry(file, null, exception.Message));
            }
            catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
            {
                entries.Add(new IntentEntry(file, null, $"intent file {file} cannot be read: {FileSystemError.Describe(exception)}"));
            }
        }

        return entries;
    }

    /// <summary>The intent recorded for (<paramref name="target"/>, <paramref name="table"/>); null when none is.</summary>
    /// <exception cref="IntentCorruptException">The file exists but is not a valid intent.</exception>
    public IsolationIntent? Read(string target, string table)
    {
        byte[]? bytes = ReadBytes(target, table);
        return bytes is null ? null : Parse(PathFor(target, table), bytes);
    }

    /// <summary>Records <paramref name="intent"/>, replacing any intent for the same target and table, atomically and durably.</summary>
    /// <exception cref="IntentStoreException">The file could not be written; the previous intent, if any, is unchanged.</exception>
    public void Record(IsolationIntent intent)
    {
        ArgumentNullException.ThrowIfNull(intent);
        byte[] bytes = IntentDocumentJson.ToUtf8Bytes(IntentDocument.From(intent));
        WriteAtomically(PathFor(intent.Target, intent.Table), bytes);
    }

    /// <summary>Removes the intent for (<paramref name="target"/>, <paramref name="table"/>); false when there was none.</summary>
    public bool Forget(string target, string table)
    {
        string path = PathFor(target, table);
        if (!File.Exists(path))
        {
            return false;
        }

        try
        {
            File.Delete(path);
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
        {
            throw new IntentStoreException(path, $"cannot remove intent file {path}: {FileSystemError.Describe(exception)}", exception);
        }

        SyncDirectory();
        return true;
    }

    /// <summary>
    /// The file for (<paramref name="target"/>, <paramref name="table"/>): <c>TABLE.SLUG.HASH.json</c>, where SLUG is the
    /// target with every character outside <c>[A-Za-z0-9_-]</c> replaced by <c>_</c> (for a person reading the
    /// directory) and HASH the 64-bit FNV-1a hash of target, NUL, table in hex (what makes the name unique).
    /// </summary>
    /// <remarks>
    /// Not SHA-256: System.Security.Cryptography loads OpenSSL, which a minimal host or container does not have (the
    /// NativeAOT CLI aborted there with "No usable version of libssl was found"). The names are chosen by root, so a
    /// non-cryptographic hash is enough; the file's own target and table are checked when it is read.
    /// </remarks>
    public string PathFor(string target, string table)
    {
        ArgumentException.ThrowIfNullOrEmpty(target);
        IsolationPolicy.ValidateTableName(table);
        var slug = new StringBuilder(Math.Min(target.Length, 64));
        foreach (char c in target.AsSpan(0, Math.Min(target.Length, 64)))
        {
            slug.Append(char.IsAsciiLetterOrDigit(c) || c is '_' or '-' ? c : '_');
        }

        ulong hash = Fnv1a64(Encoding.UTF8.GetBytes(target + "\0" + table));
        string name = $"{table}.{slug}.{hash.ToString("x16", CultureInfo.InvariantCulture)}{IntentExtension}";
        return Path.Combine(Directory, name);
    }

    // FNV-1a, 64-bit (offset basis and prime from the FNV specification, draft-eastlake-fnv).
    private static ulong Fnv1a64(ReadOnlySpan<byte> data)
    {
        ulong hash = 14695981039346656037UL;
        foreach (byte b in data)
        {
            hash = (hash ^ b) * 1099511628211UL;
        }

        return hash;
    }

    /// <summary>The raw bytes of an intent file (valid or not); null when there is none. Lets a failed change put back exactly what was there.</summary>
    internal byte[]? ReadBytes(string target, string table)
    {
        string path = PathFor(target, table);

        // No file is the common case (status of a namespace never isolated, or isolated with --ephemeral): ask first
        // rather than let the open throw, whose unwinding a one-shot NativeAOT process pays for in full.
        if (!File.Exists(path))
        {
            return null;
        }

        try
        {
            return File.ReadAllBytes(path);
        }
        catch (Exception exception) when (exception is FileNotFoundException or DirectoryNotFoundException)
        {
            return null;
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
        {
            throw new IntentStoreException(path, $"cannot read intent file {path}: {FileSystemError.Describe(exception)}", exception);
        }
    }

    /// <summary>Puts back bytes read by <see cref="ReadBytes"/>: rewrites them atomically, or removes the file when there were none.</summary>
    internal void Reinstate(string target, string table, byte[]? bytes)
    {
        if (bytes is null)
        {
            Forget(target, table);
        }
        else
        {
            WriteAtomically(PathFor(target, table), bytes);
        }
    }

    private IsolationIntent Parse(string path, byte[] bytes)
    {
        IsolationIntent intent;
        try
        {
            intent = IntentDocumentJson.Parse(bytes).ToIntent();
        }
        catch (JsonException exception)
        {
            throw new IntentCorruptException(path, $"invalid JSON: {exception.Message}", exception);
        }
        catch (FormatException exception)
        {
            throw new IntentCorruptException(path, exception.Message, exception);
        }

        string expected = PathFor(intent.Target, intent.Table);
        if (!string.Equals(Path.GetFileName(expected), Path.GetFileName(path), StringComparison.Ordinal))
        {
            throw new IntentCorruptException(path, $"it records target {intent.Target} table {intent.Table}, whose intent belongs in {Path.GetFileName(expected)}");
        }

        return intent;
    }

    private void WriteAtomically(string path, byte[] bytes)
    {
        EnsureDirectory();
        string temporary = Path.Combine(Directory, $".{Path.GetFileName(path)}{TemporaryMarker}{Environment.ProcessId}-{Guid.NewGuid():N}");
        try
        {
            var options = new FileStreamOptions
            {
                Mode = System.IO.FileMode.CreateNew,
                Access = FileAccess.Write,
                Share = FileShare.None,
                UnixCreateMode = FileMode,
            };
            using (var stream = new FileStream(temporary, options))
            {
                stream.Write(bytes);

                // fsync(2) before the rename: otherwise a crash can leave the new name pointing at an empty file.
                stream.Flush(flushToDisk: true);
            }

            File.Move(temporary, path, overwrite: true);
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
        {
            TryDelete(temporary);
            throw new IntentStoreException(path, $"cannot write intent file {path}: {FileSystemError.Describe(exception)}", exception);
        }

        SyncDirectory();
    }

    private void SyncDirectory()
    {
        int error = DirectorySync.Sync(Directory);
        if (error != 0)
        {
            throw new IntentStoreException(Directory, $"cannot sync state directory {Directory}: {Errno.Describe(error)} ({Errno.Name(error)})");
        }
    }

    private void EnsureDirectory()
    {
        try
        {
            if (!System.IO.Directory.Exists(Directory))
            {
                System.IO.Directory.CreateDirectory(Directory, DirectoryMode);
            }

            UnixFileMode mode = File.GetUnixFileMode(Directory);
            if ((mode & (UnixFileMode.GroupWrite | UnixFileMode.OtherWrite)) != 0)
            {
                throw new IntentStoreException(Directory, $"state directory {Directory} is writable by other users, who could plant an intent that restore applies: chmod 700 {Directory}, or choose another with --state-dir");
            }
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
        {
            throw new IntentStoreException(Directory, $"cannot create state directory {Directory}: {FileSystemError.Describe(exception)} (needs root, or choose another with --state-dir)", exception);
        }
    }

    /// <summary>Removes temporary files whose writer process is gone (the name carries its pid: <c>.NAME.tmp-PID-RANDOM</c>).</summary>
    private void RemoveStaleTemporaryFiles()
    {
        string[] temporaryFiles;
        try
        {
            temporaryFiles = System.IO.Directory.GetFiles(Directory, "." + "*" + TemporaryMarker + "*");
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
        {
            return; // housekeeping: the next holder of the lock tries again
        }

        foreach (string file in temporaryFiles)
        {
            string name = Path.GetFileName(file);
            int start = name.LastIndexOf(TemporaryMarker, StringComparison.Ordinal) + TemporaryMarker.Length;
            int end = name.IndexOf('-', start);
            if (end > start
                && int.TryParse(name.AsSpan(start, end - start), System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out int pid)
                && !System.IO.Directory.Exists($"/proc/{pid}"))
            {
                TryDelete(file);
            }
        }
    }

    private static void TryDelete(string path)
    {
        try
        {
            File.Delete(path);
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
        {
            // A leftover temporary file is harmless: readers ignore it and the next lock holder removes it.
        }
    }

    private static string FixFor(int errno) => errno switch
    {
        Errno.EACCES or Errno.EPERM => " (needs root, or choose another directory with --state-dir)",
        Errno.ELOOP => " (the lock file is a symbolic link; remove it)",
        _ => string.Empty,
    };
}
