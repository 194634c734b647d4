using System.Buffers.Binary;
using AuroraSoc.NetlinkIsolation.Handoff;
using AuroraSoc.NetlinkIsolation.Intent;
using AuroraSoc.NetlinkIsolation.Interop.Sockets;
using AuroraSoc.NetlinkIsolation.Isolation;
using AuroraSoc.NetlinkIsolation.Testing.Policies;

namespace AuroraSoc.NetlinkIsolation.Tests.Isolation.Guard;

/// <summary>The hand-over protocol: frames, the intent carried in a request, and failures carried back unchanged.</summary>
public sealed class GuardProtocolTests : IDisposable
{
    private readonly DirectoryInfo _directory = Directory.CreateTempSubdirectory("aurorasoc-guard-protocol-");
    private const int Timeout = 10_000;
    private readonly UnixStreamSocket _listener;
    private readonly UnixStreamSocket _client;
    private readonly UnixStreamSocket _server;

    public GuardProtocolTests()
    {
        string path = Path.Combine(_directory.FullName, "s");
        Assert.Equal(0, UnixStreamSocket.TryListen(path, 1, out UnixStreamSocket? listener));
        _listener = listener!;
        Assert.Equal(0, UnixStreamSocket.TryConnect(path, out UnixStreamSocket? client));
        _client = client!;
        Assert.Equal(0, _listener.TryAccept(Timeout, out UnixStreamSocket? server));
        _server = server!;
    }

    [Fact]
    public void Frames_IsolateRequest_ArriveWithTheSameIntentAndOptions()
    {
        IsolationIntent intent = IsolationIntent.Create(
            "/run/netns/tenant7",
            ContractPolicies.Example(),
            reason: "INC-42",
            resolvedNames: new Dictionary<string, IReadOnlyList<string>> { ["edr.example.com"] = ["192.0.2.10", "2001:db8::10"] });
        var options = new IsolateOptions { VerifyCollectors = true, VerifyTimeout = TimeSpan.FromMilliseconds(2500), CutOpenConnections = false };

        GuardFrames.Write(_client, Timeout, new GuardRequest { Version = GuardOperations.ProtocolVersion, Operation = "isolate", Intent = intent, Options = options }.WriteTo);
        GuardRequest received = GuardFrames.Read(_server, Timeout, GuardRequest.Read);

        IsolationIntent decoded = received.Intent!;
        Assert.Equal((intent.Target, intent.Table, "INC-42", intent.IsolatedAt, intent.IsolatedBy), (decoded.Target, decoded.Table, decoded.Reason, decoded.IsolatedAt, decoded.IsolatedBy));
        Assert.Equal("INC-42", decoded.Policy.Reason);
        Assert.Equal(["192.0.2.10", "2001:db8::10"], decoded.ResolvedNames["edr.example.com"]);
        Assert.Equal(IsolationRuleset.Build(intent.Policy).Rules.Count, IsolationRuleset.Build(decoded.Policy).Rules.Count);
        Assert.Equal((true, TimeSpan.FromMilliseconds(2500), false), (received.Options!.VerifyCollectors, received.Options.VerifyTimeout, received.Options.CutOpenConnections));
    }

    [Fact]
    public void Frames_IsolatedResponse_CarriesChecksAndConnectionsCut()
    {
        var result = new IsolationResult("aurorasoc", 18, 3, 2048, 311)
        {
            Verified = [new CollectorCheck(Endpoint.Parse("192.0.2.10:6514"), true, 3, null), new CollectorCheck(Endpoint.Parse("[2001:db8::10]:6514"), false, 5000, "timed out after 5000 ms")],
            SessionsCut = new SessionCutResult(7, 2, "SOCK_DESTROY is not supported"),
        };

        GuardFrames.Write(_client, Timeout, new GuardResponse { Version = GuardOperations.ProtocolVersion, Ok = true, Isolated = result }.WriteTo);
        IsolationResult copy = GuardFrames.Read(_server, Timeout, GuardResponse.Read).Isolated!.Value;

        Assert.Equal((result.TableName, result.RuleCount, result.ChainCount, result.BatchBytes, result.ElapsedMicroseconds), (copy.TableName, copy.RuleCount, copy.ChainCount, copy.BatchBytes, copy.ElapsedMicroseconds));
        Assert.Equal(result.Verified, copy.Verified);
        Assert.Equal(result.SessionsCut, copy.SessionsCut);
    }

    [Fact]
    public void Frames_LengthPrefix_IsBigEndianByteCountOfTheJson()
    {
        GuardFrames.Write(_client, Timeout, new GuardRequest { Version = 2, Operation = "restore" }.WriteTo);
        const string Json = """{"version":2,"operation":"restore"}""";
        byte[] received = new byte[4 + Json.Length];
        Assert.Equal(0, _server.ReceiveExactly(received, Timeout, out _));

        Assert.Equal(Json.Length, BinaryPrimitives.ReadInt32BigEndian(received));
        Assert.Equal(Json, System.Text.Encoding.UTF8.GetString(received, 4, Json.Length));
    }

    [Fact]
    public void Read_RequestOfAnotherVersion_OnlyVersionAndOperationRead()
    {
        byte[] json = """{"version":1,"operation":"isolate","intent":{"version":1,"target":"relative"}}"""u8.ToArray();
        byte[] frame = new byte[4 + json.Length];
        BinaryPrimitives.WriteInt32BigEndian(frame, json.Length);
        json.CopyTo(frame, 4);
        Assert.Equal(0, _client.SendAll(frame, Timeout));

        GuardRequest request = GuardFrames.Read(_server, Timeout, GuardRequest.Read);

        Assert.Equal((1, "isolate", (IsolationIntent?)null), (request.Version, request.Operation, request.Intent));
    }

    [Fact]
    public void Read_OversizedLength_ThrowsIOException()
    {
        byte[] header = new byte[4];
        BinaryPrimitives.WriteInt32BigEndian(header, GuardFrames.MaxFrameBytes + 1);
        Assert.Equal(0, _client.SendAll(header, Timeout));

        Assert.Throws<IOException>(() => GuardFrames.Read(_server, Timeout, GuardRequest.Read));
    }

    [Fact]
    public void Errors_CollectorUnreachableThroughReply_ChecksRolledBackAndMessageKept()
    {
        CollectorCheck refused = new(Endpoint.Parse("192.0.2.10:6514"), false, 1, "connection refused");
        var original = new IsolationException([refused], rolledBack: true, IsolationState.Isolated, "rolled back: no collector reachable: 192.0.2.10:6514 connection refused", null);

        GuardFrames.Write(_client, Timeout, new GuardResponse { Version = 2, Ok = false, Error = GuardErrors.ToReply(original) }.WriteTo);
        var copy = Assert.IsType<IsolationException>(GuardErrors.ToException(GuardFrames.Read(_server, Timeout, GuardResponse.Read).Error!, IsolationOperation.Isolate));

        Assert.Equal((IsolationErrorKind.CollectorUnreachable, true, IsolationState.Isolated, original.Message), (copy.Kind, copy.RolledBack, copy.StateAfter, copy.Message));
        Assert.Equal([refused], copy.CollectorChecks);
    }

    [Fact]
    public void Errors_PolicyValidationThroughReply_SameFieldValueAndReason()
    {
        var original = new PolicyValidationException("verify-collector", null, "table inet aurorasoc holds 1 set(s)");

        var copy = Assert.IsType<PolicyValidationException>(GuardErrors.ToException(GuardErrors.ToReply(original), IsolationOperation.Isolate));

        Assert.Equal((original.Field, original.Value, original.Reason, original.Message), (copy.Field, copy.Value, copy.Reason, copy.Message));
    }

    [Fact]
    public void Errors_IsolationExceptionThroughReply_SameKindErrnoStateAndMessage()
    {
        var original = new IsolationException(IsolationOperation.Isolate, IsolationErrorKind.KernelRejected, 22, "bad", "NFT_MSG_NEWRULE", 5, "NFTA_RULE_EXPRESSIONS/[1] cmp", IsolationState.NotIsolated, "isolate failed: the kernel rejected message 5; the namespace is still not isolated");

        var copy = Assert.IsType<IsolationException>(GuardErrors.ToException(GuardErrors.ToReply(original), IsolationOperation.Isolate));

        Assert.Equal(
            (original.Operation, original.Kind, original.Errno, original.StateAfter, original.Message, original.KernelMessage, original.FailingMessageType, original.FailingMessageIndex, original.FailingAttribute),
            (copy.Operation, copy.Kind, copy.Errno, copy.StateAfter, copy.Message, copy.KernelMessage, copy.FailingMessageType, copy.FailingMessageIndex, copy.FailingAttribute));
    }

    [Theory]
    [InlineData("refused", IsolationErrorKind.PermissionDenied)]
    [InlineData("protocol", IsolationErrorKind.ProtocolViolation)]
    [InlineData("internal", IsolationErrorKind.OutcomeUnknown)]
    public void Errors_HandoffFailureReply_IsolationExceptionOfTheHandedOverOperation(string type, IsolationErrorKind kind)
    {
        var copy = Assert.IsType<IsolationException>(GuardErrors.ToException(new GuardErrorReply { Type = type, Message = "only root" }, IsolationOperation.Unisolate));

        Assert.Equal((kind, IsolationOperation.Unisolate, "only root"), (copy.Kind, copy.Operation, copy.Message));
    }

    public void Dispose()
    {
        _server.Dispose();
        _client.Dispose();
        _listener.Dispose();
        _directory.Delete(recursive: true);
    }
}
