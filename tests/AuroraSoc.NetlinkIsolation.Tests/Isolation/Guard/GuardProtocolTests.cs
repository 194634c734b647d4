using System.Buffers.Binary;
using System.Net.Sockets;
using AuroraSoc.NetlinkIsolation.Isolation;
using AuroraSoc.NetlinkIsolation.Testing.Policies;

namespace AuroraSoc.NetlinkIsolation.Tests.Isolation.Guard;

/// <summary>The hand-over protocol: frames, the intent carried in a request, and failures carried back unchanged.</summary>
public sealed class GuardProtocolTests : IDisposable
{
    private readonly DirectoryInfo _directory = Directory.CreateTempSubdirectory("aurorasoc-guard-protocol-");
    private readonly Socket _listener = new(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
    private readonly Socket _client = new(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
    private readonly Socket _server;

    public GuardProtocolTests()
    {
        string path = Path.Combine(_directory.FullName, "s");
        _listener.Bind(new UnixDomainSocketEndPoint(path));
        _listener.Listen(1);
        _client.Connect(new UnixDomainSocketEndPoint(path));
        _server = _listener.Accept();
    }

    [Fact]
    public void Frames_IsolateRequest_ArriveWithTheSameIntent()
    {
        IsolationIntent intent = IsolationIntent.Create("/run/netns/tenant7", ContractPolicies.Example(), reason: "INC-42");

        GuardFrames.Write(_client, new GuardRequest { Version = 1, Operation = "isolate", Intent = IntentDocument.From(intent) }, GuardJsonContext.Default.GuardRequest);
        GuardRequest received = GuardFrames.Read(_server, GuardJsonContext.Default.GuardRequest);

        IsolationIntent decoded = received.Intent!.ToIntent();
        Assert.Equal((intent.Target, intent.Table, intent.Reason, intent.IsolatedAt, intent.IsolatedBy), (decoded.Target, decoded.Table, decoded.Reason, decoded.IsolatedAt, decoded.IsolatedBy));
        Assert.Equal(IsolationRuleset.Build(intent.Policy).Rules.Count, IsolationRuleset.Build(decoded.Policy).Rules.Count);
    }

    [Fact]
    public void Frames_LengthPrefix_IsBigEndianByteCountOfTheJson()
    {
        GuardFrames.Write(_client, new GuardRequest { Version = 1, Operation = "restore" }, GuardJsonContext.Default.GuardRequest);
        byte[] received = new byte[256];
        int length = _server.Receive(received);

        Assert.Equal(length - 4, BinaryPrimitives.ReadInt32BigEndian(received));
        Assert.Equal("""{"version":1,"operation":"restore"}""", System.Text.Encoding.UTF8.GetString(received, 4, length - 4));
    }

    [Fact]
    public void Read_OversizedLength_ThrowsIOException()
    {
        byte[] header = new byte[4];
        BinaryPrimitives.WriteInt32BigEndian(header, GuardFrames.MaxFrameBytes + 1);
        _client.Send(header);

        Assert.Throws<IOException>(() => GuardFrames.Read(_server, GuardJsonContext.Default.GuardRequest));
    }

    [Fact]
    public void Errors_IsolationExceptionThroughReply_SameKindErrnoStateAndMessage()
    {
        var original = new IsolationException(IsolationOperation.Isolate, IsolationErrorKind.KernelRejected, 22, "bad", "NFT_MSG_NEWRULE", 5, "NFTA_RULE_EXPRESSIONS/[1] cmp", IsolationState.NotIsolated, "isolate failed: the kernel rejected message 5; the namespace is still not isolated");

        var copy = Assert.IsType<IsolationException>(GuardErrors.ToException(GuardErrors.ToReply(original)));

        Assert.Equal(
            (original.Operation, original.Kind, original.Errno, original.StateAfter, original.Message, original.KernelMessage, original.FailingMessageType, original.FailingMessageIndex, original.FailingAttribute),
            (copy.Operation, copy.Kind, copy.Errno, copy.StateAfter, copy.Message, copy.KernelMessage, copy.FailingMessageType, copy.FailingMessageIndex, copy.FailingAttribute));
    }

    [Fact]
    public void Errors_RefusedReply_GuardHandoffException()
        => Assert.IsType<GuardHandoffException>(GuardErrors.ToException(new GuardErrorReply { Type = "refused", Message = "only root" }));

    public void Dispose()
    {
        _server.Dispose();
        _client.Dispose();
        _listener.Dispose();
        _directory.Delete(recursive: true);
    }
}
