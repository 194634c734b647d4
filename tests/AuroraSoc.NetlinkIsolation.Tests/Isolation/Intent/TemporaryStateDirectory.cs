namespace AuroraSoc.NetlinkIsolation.Tests.Isolation.Intent;

/// <summary>A fresh directory under the system temp dir whose <c>state</c> subdirectory is a state directory; removed on dispose.</summary>
internal sealed class TemporaryStateDirectory : IDisposable
{
    private readonly DirectoryInfo _root = Directory.CreateTempSubdirectory("aurorasoc-intent-");

    /// <summary>Not created yet: the store creates it, so tests see the mode it chose.</summary>
    public string Path => System.IO.Path.Combine(_root.FullName, "state");

    public void Dispose() => _root.Delete(recursive: true);
}
