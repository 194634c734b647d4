using AuroraSoc.NetlinkIsolation.Guard;
using AuroraSoc.NetlinkIsolation.Isolation;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace AuroraSoc.NetlinkIsolation.Hosting;

/// <summary>Registers the isolation guard with a generic host (<c>Microsoft.Extensions.Hosting</c>).</summary>
public static class IsolationGuardServiceCollectionExtensions
{
    /// <summary>
    /// Runs an <see cref="IsolationGuard"/> as a hosted service. When the host starts it restores every isolation
    /// recorded in <see cref="IsolationGuardOptions.StateDirectory"/> and guards it; the host's start (and under
    /// <c>UseSystemd()</c> its readiness notification) completes only once every recorded isolation that can be is in
    /// force. When the host stops it stops guarding and never un-isolates. The options are validated when the host
    /// starts, before any kernel call (<c>ValidateOnStart</c>): an absolute state directory and a verify interval
    /// between 100 ms and one day.
    /// </summary>
    /// <remarks>
    /// Also registers, for injection, the running <see cref="IsolationGuard"/> (resolvable once the host has started;
    /// isolate and unisolate through it, since the tables it owns refuse every other writer) and a
    /// <see cref="HostIsolator"/> for the process's own network namespace (for status reads and unguarded tables).
    /// </remarks>
    /// <param name="services">The host's service collection.</param>
    /// <param name="configure">Sets the guard's options, e.g. <see cref="IsolationGuardOptions.StateDirectory"/>.</param>
    /// <returns><paramref name="services"/>, for chaining.</returns>
    public static IServiceCollection AddIsolationGuard(this IServiceCollection services, Action<IsolationGuardOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(configure);

        services.AddOptions<IsolationGuardOptions>().Configure(configure).ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<IsolationGuardOptions>, IsolationGuardOptionsValidator>());
        services.TryAddSingleton<IsolationGuardService>();
        services.AddSingleton<IHostedService>(provider => provider.GetRequiredService<IsolationGuardService>());
        services.TryAddSingleton(provider => provider.GetRequiredService<IsolationGuardService>().Guard);
        services.TryAddSingleton(_ => HostIsolator.Open());
        return services;
    }
}
