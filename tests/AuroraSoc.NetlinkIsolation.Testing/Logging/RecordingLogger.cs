using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace AuroraSoc.NetlinkIsolation.Testing.Logging;

/// <summary>An <see cref="ILogger"/> that keeps every event, for tests that read what the guard reported.</summary>
public sealed class RecordingLogger : ILogger
{
    private readonly ConcurrentQueue<LoggedEvent> _events = new();

    public IReadOnlyList<LoggedEvent> Events => [.. _events];

    public IDisposable? BeginScope<TState>(TState state)
        where TState : notnull => null;

    public bool IsEnabled(LogLevel logLevel) => true;

    public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
    {
        ArgumentNullException.ThrowIfNull(formatter);
        var fields = new Dictionary<string, object?>(StringComparer.Ordinal);
        if (state is IReadOnlyList<KeyValuePair<string, object?>> pairs)
        {
            foreach ((string key, object? value) in pairs)
            {
                fields[key] = value;
            }
        }

        _events.Enqueue(new LoggedEvent(logLevel, eventId.Id, formatter(state, exception), fields));
    }

    /// <summary>The events with <paramref name="eventId"/>.</summary>
    public IReadOnlyList<LoggedEvent> WithId(int eventId) => [.. _events.Where(e => e.EventId == eventId)];

    public override string ToString() => string.Join('\n', _events.Select(e => $"{e.Level} {e.EventId} {e.Message}"));
}

/// <summary>One logged event: level, id, formatted message and the structured fields.</summary>
public sealed record LoggedEvent(LogLevel Level, int EventId, string Message, IReadOnlyDictionary<string, object?> Fields);
