using AuroraSoc.NetlinkIsolation.Guard;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace AuroraSoc.NetlinkIsolation.Hosting;

/// <summary>
/// Runs an <see cref="IsolationGuard"/> for the lifetime of the host. Starting restores every recorded isolation and
/// returns once each is in force, so a host under systemd (<c>UseSystemd()</c>, <c>Type=notify</c>) reports ready only
/// then. Stopping stops guarding and never un-isolates: the tables stay, owned ones as orphans for the next guard.
/// </summary>
internal sealed class IsolationGuardService : IHostedService, IDisposable
{
    private readonly IsolationGuardOptions _options;
    private readonly ILogger<IsolationGuard> _logger;
    private readonly Lock _gate = new();
    private IsolationGuard? _guard;

    /// <summary>Created by the container; see <see cref="IsolationGuardServiceCollectionExtensions.AddIsolationGuard"/>.</summary>
    public IsolationGuardService(IOptions<IsolationGuardOptions> options, ILogger<IsolationGuard> logger)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(logger);
        _options = options.Value;
        _logger = logger;
    }

    /// <summary>The running guard, to hand isolations to it in-process (registered for injection as itself).</summary>
    /// <exception cref="InvalidOperationException">The host has not started the service, or has stopped it.</exception>
    public IsolationGuard Guard
    {
        get
        {
            lock (_gate)
            {
                return _guard ?? throw new InvalidOperationException(
                    "The isolation guard is not running: it starts with the host (IHost.StartAsync) and stops with it.");
            }
        }
    }

    /// <summary>Starts the guard synchronously: restoring is a handful of kernel transactions, not I/O to wait on.</summary>
    public Task StartAsync(CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        lock (_gate)
        {
            _guard ??= IsolationGuard.Start(_options, _logger);
        }

        return Task.CompletedTask;
    }

    /// <summary>Stops guarding; every isolation stays in force.</summary>
    public Task StopAsync(CancellationToken cancellationToken)
    {
        StopGuard();
        return Task.CompletedTask;
    }

    /// <inheritdoc />
    public void Dispose() => StopGuard();

    private void StopGuard()
    {
        IsolationGuard? guard;
        lock (_gate)
        {
            guard = _guard;
            _guard = null;
        }

        guard?.Dispose();
    }
}
