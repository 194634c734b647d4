using AuroraSoc.NetlinkIsolation.Testing;
using AuroraSoc.NetlinkIsolation.Testing.Processes;

namespace AuroraSoc.NetlinkIsolation.Tests.Architecture;

/// <summary>
/// The repository's own files, as repository-relative '/'-separated paths: what git tracks when the checkout is a git
/// work tree and git is installed, else every file found under the given paths, build output (bin, obj) and .git left
/// out — a source archive without git is checked too.
/// </summary>
internal static class RepositoryFiles
{
    /// <summary>The repository root: the folder holding AuroraSoc.NetlinkIsolation.sln above the test binaries.</summary>
    public static string Root => RepositoryPaths.Root;

    /// <summary>The existing files at or under <paramref name="paths"/> (files or folders, relative to the root).</summary>
    public static List<string> Under(params string[] paths)
    {
        List<string> files = Tracked(paths) ?? Walk(paths);
        files.RemoveAll(file => !File.Exists(FullPath(file)));
        files.Sort(StringComparer.Ordinal);
        return files;
    }

    /// <summary>A repository-relative path on this machine.</summary>
    public static string FullPath(string relative) => Path.Combine(Root, relative.Replace('/', Path.DirectorySeparatorChar));

    /// <summary>The file's text, or null when no such file exists.</summary>
    public static string? ReadText(string relative)
    {
        string full = FullPath(relative);
        return File.Exists(full) ? File.ReadAllText(full) : null;
    }

    public static bool IsDirectory(string relative) => Directory.Exists(FullPath(relative));

    /// <summary><c>git ls-files</c>; null when git or the work tree is missing, so the caller walks the folders instead.</summary>
    private static List<string>? Tracked(string[] paths)
    {
        if (Requirements.FindOnPath("git") is not { } git || !Path.Exists(Path.Combine(Root, ".git")))
        {
            return null;
        }

        ProcessResult listed = ProcessRunner.Run(git, ["-C", Root, "ls-files", "-z", "--", .. paths]);
        return listed.Succeeded ? [.. listed.StandardOutput.Split('\0', StringSplitOptions.RemoveEmptyEntries)] : null;
    }

    private static List<string> Walk(string[] paths)
    {
        var files = new List<string>();
        foreach (string path in paths)
        {
            string full = FullPath(path);
            if (File.Exists(full))
            {
                files.Add(path);
            }
            else if (Directory.Exists(full))
            {
                AddFolder(full, files);
            }
        }

        return files;
    }

    private static void AddFolder(string folder, List<string> files)
    {
        foreach (string file in Directory.EnumerateFiles(folder))
        {
            files.Add(Path.GetRelativePath(Root, file).Replace(Path.DirectorySeparatorChar, '/'));
        }

        foreach (string child in Directory.EnumerateDirectories(folder))
        {
            if (Path.GetFileName(child) is not ("bin" or "obj" or ".git"))
            {
                AddFolder(child, files);
            }
        }
    }
}
