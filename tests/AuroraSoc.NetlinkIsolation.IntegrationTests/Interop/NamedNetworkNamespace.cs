using System.Globalization;
using System.Security.Cryptography;

using AuroraSoc.NetlinkIsolation.IntegrationTests.Infrastructure;

namespace AuroraSoc.NetlinkIsolation.IntegrationTests.Interop;

/// <summary>A throwaway `ip netns add` namespace, deleted on dispose.</summary>
internal sealed class NamedNetworkNamespace : IAsyncDisposable
{
    private NamedNetworkNamespace(string name) => Name = name;

    public string Name { get; }

    /// <summary>The nsfs bind mount `ip netns` creates.</summary>
    public string Path => $"/run/netns/{Name}";

    public static async Task<NamedNetworkNamespace> CreateAsync(CancellationToken cancellationToken)
    {
        string name = "aurorasoc-interop-" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(4));
        (int exit, _, string errors) = await ExternalCommand.RunAsync("ip", ["netns", "add", name], cancellationToken);
        if (exit != 0)
        {
            Requirements.Unavailable($"ip netns add {name} failed (needs root): {errors.Trim()}");
        }

        return new NamedNetworkNamespace(name);
    }

    /// <summary>The namespace's identity as readlink(2) of a /proc ns link spells it: "net:[inode]".</summary>
    public async Task<string> GetIdentityAsync(CancellationToken cancellationToken)
    {
        (int exit, string output, string errors) = await ExternalCommand.RunAsync("stat", ["--format=%i", Path], cancellationToken);
        Assert.True(exit == 0, $"stat {Path} failed: {errors}");
        return string.Create(CultureInfo.InvariantCulture, $"net:[{ulong.Parse(output.Trim(), CultureInfo.InvariantCulture)}]");
    }

    public async ValueTask DisposeAsync()
    {
        // Not the test's token: the namespace must go even when the test was cancelled.
        (int exit, _, string errors) = await ExternalCommand.RunAsync("ip", ["netns", "delete", Name], CancellationToken.None);
        Assert.True(exit == 0, $"ip netns delete {Name} failed: {errors}");
    }
}
