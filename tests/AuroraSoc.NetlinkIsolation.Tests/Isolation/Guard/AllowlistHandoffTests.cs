using System.Buffers;
using System.Text.Json;
using AuroraSoc.NetlinkIsolation.Handoff;
using AuroraSoc.NetlinkIsolation.Intent;
using AuroraSoc.NetlinkIsolation.Isolation;

namespace AuroraSoc.NetlinkIsolation.Tests.Isolation.Guard;

/// <summary>An allowlist in the intent and the hand-over: the merged list travels whole and fits one frame.</summary>
public class AllowlistHandoffTests
{
    [Fact]
    public void IsolateRequest_HundredThousandLongestIPv6RangesWithPorts_FitsOneFrameAndReadsBackTheSameSets()
    {
        // The longest texts there are: ranges (not prefixes) of full eight-group addresses, each with a five-digit port.
        var lines = Enumerable.Range(0, 100_000).Select(i => $"[2001:db8:ffff:ffff:ffff:ffff:{i / 1000 + 0x1000:x}:{i % 1000 * 16 + 0x1001:x}-2001:db8:ffff:ffff:ffff:ffff:{i / 1000 + 0x1000:x}:{i % 1000 * 16 + 0x1009:x}]:65535");
        IsolationPolicy policy = new IsolationPolicy([Endpoint.Parse("192.0.2.10:6514")]).WithAllowedPeersFrom(new StringReader(string.Join('\n', lines)), "list");
        var request = new GuardRequest
        {
            Version = GuardOperations.ProtocolVersion,
            Operation = GuardOperations.Isolate,
            Intent = IsolationIntent.Create("/run/netns/tenant7", policy),
            Options = IsolateOptions.Default,
        };
        var buffer = new ArrayBufferWriter<byte>();
        using (var json = new Utf8JsonWriter(buffer))
        {
            request.WriteTo(json);
        }

        GuardRequest read = GuardRequest.Read(buffer.WrittenSpan);

        Assert.Equal(100_000, policy.PeerCount);
        Assert.InRange(buffer.WrittenCount, 1, GuardFrames.MaxFrameBytes);
        Assert.Equal(policy.PeerSetSizes, read.Intent!.Policy.PeerSetSizes);
        Assert.Equal(policy.PeerSets!.All(), read.Intent.Policy.PeerSets!.All());
    }

    [Fact]
    public void IntentCreate_OtherReason_KeepsTheAllowlist()
    {
        IsolationPolicy policy = new IsolationPolicy([Endpoint.Parse("192.0.2.10")]).WithAllowedPeersFrom(new StringReader("10.0.0.5-10.0.0.9"), "list");

        IsolationIntent intent = IsolationIntent.Create(null, policy, reason: "INC-9");

        Assert.Equal("INC-9", intent.Policy.Reason);
        Assert.Equal(policy.PeerSetSizes, intent.Policy.PeerSetSizes);
    }
}
