using AuroraSoc.NetlinkIsolation.Isolation;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace AuroraSoc.NetlinkIsolation.Hosting;

/// <summary>Registers the isolation guard with a generic host.</summary>
public static class IsolationGuardServiceCollectionExtensions
{
    /// <summary>
    /// Adds <see cref="IsolationGuardService"/> as a hosted service (it restores and guards every isolation recorded in
    /// <see cref="IsolationGuardOptions.StateDirectory"/> when the host starts, and never un-isolates when it stops),
    /// validates the options when the host starts, and registers the running guard's service and a
    /// <see cref="HostIsolator"/> for the host's own network namespace for injection.
    /// </summary>
    public static IServiceCollection AddIsolationGuard(this IServiceCollection services, Action<IsolationGuardOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(configure);

        services.AddOptions<IsolationGuardOptions>().Configure(configure).ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<IsolationGuardOptions>, IsolationGuardOptionsValidator>());
        services.TryAddSingleton<IsolationGuardService>();
        services.AddSingleton<IHostedService>(provider => provider.GetRequiredService<IsolationGuardService>());
        services.TryAddSingleton(_ => HostIsolator.Open());
        return services;
    }
}
