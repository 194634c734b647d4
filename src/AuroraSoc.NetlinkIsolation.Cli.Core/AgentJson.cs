using System.Text.Json;
using AuroraSoc.NetlinkIsolation.Isolation;

namespace AuroraSoc.NetlinkIsolation.Cli.Core;

/// <summary>The <c>agent</c> list of isolate and status JSON (cli.md): <c>{kind, value, id, level}</c>, status adding <c>stale</c>.</summary>
internal static class AgentJson
{
    /// <param name="json">The report being written.</param>
    /// <param name="agents">The identities, in the order given (isolate) or installed (status).</param>
    /// <param name="stale">For status, whether each identity is stale; null for isolate (no <c>stale</c> key).</param>
    public static void Write(Utf8JsonWriter json, IReadOnlyList<AgentIdentity> agents, IReadOnlyList<bool>? stale)
    {
        json.WriteStartArray("agent");
        for (int i = 0; i < agents.Count; i++)
        {
            AgentIdentity agent = agents[i];
            json.WriteStartObject();
            json.WriteString("kind", agent.Kind);
            json.WriteString("value", agent.Value);
            json.WriteNumber("id", agent.Id);
            if (agent.Kind == "cgroup")
            {
                json.WriteNumber("level", agent.CgroupLevel);
            }
            else
            {
                json.WriteNull("level");
            }

            if (stale is not null)
            {
                json.WriteBoolean("stale", stale[i]);
            }

            json.WriteEndObject();
        }

        json.WriteEndArray();
    }
}
