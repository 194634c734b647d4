using System.Buffers;
using System.Text.Json;
using AuroraSoc.NetlinkIsolation.Handoff;
using AuroraSoc.NetlinkIsolation.Intent;
using AuroraSoc.NetlinkIsolation.Isolation;

namespace AuroraSoc.NetlinkIsolation.Tests.Isolation.Guard;

/// <summary>
/// The hand-over carries agent identities (protocol 4, intent format 3): an isolate handed to the guard installs the
/// identities the command resolved — users and groups by their numbers, a cgroup by its path, re-resolved where the
/// guard runs (id 0 when it cannot see it: fail closed).
/// </summary>
public sealed class GuardAgentIdentityMessageTests
{
    [Fact]
    public void Read_IsolateRequestWithIdentities_CarriesThemInOrder()
    {
        IsolationIntent intent = IsolationIntent.Create(
            "/run/netns/tenant7",
            new IsolationPolicy(
                [Endpoint.Parse("192.0.2.10:6514")],
                agentIdentities: [AgentIdentity.User("edr", 998), AgentIdentity.Cgroup("pid:4242", 7001, 2, "aurorasoc-test-never-created/edr.service"), AgentIdentity.Group("0", 0)]));
        var buffer = new ArrayBufferWriter<byte>();
        using (var json = new Utf8JsonWriter(buffer))
        {
            new GuardRequest { Version = GuardOperations.ProtocolVersion, Operation = GuardOperations.Isolate, Intent = intent }.WriteTo(json);
        }

        IReadOnlyList<AgentIdentity> read = GuardRequest.Read(buffer.WrittenSpan).Intent!.Policy.AgentIdentities;

        Assert.Equal(4, GuardOperations.ProtocolVersion);
        Assert.Equal(3, read.Count);
        Assert.Equal(AgentIdentity.User("edr", 998), read[0]);
        Assert.Equal(("cgroup", "aurorasoc-test-never-created/edr.service", 0UL, 2), (read[1].Kind, read[1].Value, read[1].Id, read[1].CgroupLevel));
        Assert.Equal(AgentIdentity.Group("0", 0), read[2]);
    }
}
