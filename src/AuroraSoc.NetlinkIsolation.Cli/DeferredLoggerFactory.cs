using Microsoft.Extensions.Logging;

namespace AuroraSoc.NetlinkIsolation.Cli;

/// <summary>
/// Builds the console logger factory only when the first event that passes <c>enabled</c> is logged. Building it
/// costs about 10 ms of a 30 ms NativeAOT cold start (docs/benchmarks.md), and without <c>-v</c> most runs log
/// nothing at all.
/// </summary>
internal sealed class DeferredLoggerFactory(Func<ILoggerFactory> create, Func<LogLevel, bool> enabled) : ILoggerFactory
{
    private readonly Lazy<ILoggerFactory> _real = new(create, LazyThreadSafetyMode.ExecutionAndPublication);

    public ILogger CreateLogger(string categoryName) => new DeferredLogger(this, categoryName);

    public void AddProvider(ILoggerProvider provider) => _real.Value.AddProvider(provider);

    public void Dispose()
    {
        if (_real.IsValueCreated)
        {
            _real.Value.Dispose();
        }
    }

    private sealed class DeferredLogger(DeferredLoggerFactory owner, string categoryName) : ILogger
    {
        private ILogger? _real;

        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull
            => null;

        public bool IsEnabled(LogLevel logLevel) => owner.Enabled(logLevel);

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (!IsEnabled(logLevel))
            {
                return;
            }

            _real ??= owner._real.Value.CreateLogger(categoryName);
            _real.Log(logLevel, eventId, state, exception, formatter);
        }
    }

    private bool Enabled(LogLevel level) => enabled(level);
}
