using AuroraSoc.NetlinkIsolation.Intent;

namespace AuroraSoc.NetlinkIsolation.Tests.Isolation.Guard;

public sealed class IntentFileStampTests : IDisposable
{
    private readonly DirectoryInfo _directory = Directory.CreateTempSubdirectory("aurorasoc-stamp-");

    public void Dispose() => _directory.Delete(recursive: true);

    [Fact]
    public void Of_MissingFile_IsNull()
        => Assert.Null(IntentFileStamp.Of(Path.Combine(_directory.FullName, "absent.json")));

    [Fact]
    public void Of_SameFileTwice_IsEqual()
    {
        string path = Write("intent.json", "{\"version\":1}");

        Assert.Equal(IntentFileStamp.Of(path), IntentFileStamp.Of(path));
    }

    [Fact]
    public void Of_FileReplacedByRenameWithSameSize_Differs()
    {
        string path = Write("intent.json", "{\"reason\":\"a\"}");
        IntentFileStamp? before = IntentFileStamp.Of(path);

        // As the intent store writes: a new temporary file renamed over the old one, here with the same length.
        string temporary = Write(".intent.json.tmp", "{\"reason\":\"b\"}");
        File.SetLastWriteTimeUtc(temporary, File.GetLastWriteTimeUtc(path).AddTicks(1));
        File.Move(temporary, path, overwrite: true);

        Assert.NotNull(before);
        Assert.NotEqual(before, IntentFileStamp.Of(path));
    }

    private string Write(string name, string text)
    {
        string path = Path.Combine(_directory.FullName, name);
        File.WriteAllText(path, text);
        return path;
    }
}
