using System.IO.Pipes;
using AuroraSoc.NetlinkIsolation.Cli.Core;

namespace AuroraSoc.NetlinkIsolation.Tests.Cli;

/// <summary>The CLI's stdout and stderr writers: write(2) at the descriptor's shared offset, EPIPE dropped.</summary>
public sealed class StandardStreamWriterTests : IDisposable
{
    private readonly string _file = Path.GetTempFileName();

    public void Dispose() => File.Delete(_file);

    [Fact]
    public void WriteLine_TwoWritersOnOneOpenFile_AppendsBothInOrder()
    {
        // As `cli >> log; echo done >> log` would see it: each write lands at the shared offset, nothing is overwritten
        // (a FileStream over the descriptor writes at its own remembered offset instead).
        using var file = new FileStream(_file, FileMode.Open, FileAccess.Write);
        int descriptor = (int)file.SafeFileHandle.DangerousGetHandle();
        TextWriter first = StandardStreamWriter.Open(descriptor);
        TextWriter second = StandardStreamWriter.Open(descriptor);

        first.WriteLine("isolated: table inet aurorasoc");
        second.WriteLine("rc=0");
        first.WriteLine("ü");

        Assert.Equal("isolated: table inet aurorasoc\nrc=0\nü\n", File.ReadAllText(_file));
    }

    [Fact]
    public void WriteLine_ReaderGone_DropsTheOutputWithoutThrowing()
    {
        using var pipe = new AnonymousPipeServerStream(PipeDirection.In);
        using var writeEnd = new AnonymousPipeClientStream(PipeDirection.Out, pipe.ClientSafePipeHandle);
        TextWriter writer = StandardStreamWriter.Open((int)writeEnd.SafePipeHandle.DangerousGetHandle());
        pipe.Dispose(); // the reader goes away, as `head -1` does

        writer.WriteLine("first line after the reader left");
        writer.WriteLine("and the next");
    }
}
