using System.Text;

namespace AuroraSoc.NetlinkIsolation.Fuzzing;

/// <summary>Runs one fuzz input through the code under test; an exception that escapes is a finding.</summary>
internal delegate void FuzzInput(ReadOnlySpan<byte> input);

/// <summary>
/// One thing to fuzz: its name (the corpus folder <c>tests/fuzz-corpus/NAME/</c> and the argument of fuzz.sh), what
/// an input is, the run that may throw only what the code under test documents, and how its seed corpus is made.
/// </summary>
internal sealed record FuzzTarget(string Name, string Input, FuzzInput Run, Func<TestVectorSet, IEnumerable<FuzzSeed>> Seeds)
{
    /// <summary>
    /// A parser of operator text: the input is decoded as UTF-8 (invalid bytes become U+FFFD, as a terminal would
    /// hand them over) and given to <paramref name="check"/>, which calls the parser and throws when its contract is
    /// broken. A parser that refuses input by returning false or by throwing its documented exception (caught in
    /// <paramref name="check"/>) passes; any other exception is a finding.
    /// </summary>
    public static FuzzTarget ForText(string name, string input, Action<string> check, params string[] seeds)
        => new(
            name,
            input,
            bytes => check(Encoding.UTF8.GetString(bytes)),
            _ => seeds.Select((text, i) => new FuzzSeed($"{i:00}.txt", Encoding.UTF8.GetBytes(text))));
}

/// <summary>One file of a seed corpus.</summary>
internal sealed record FuzzSeed(string FileName, byte[] Bytes);

/// <summary>A contract the code under test broke without throwing (e.g. a parse that does not round-trip).</summary>
internal sealed class FuzzContractException(string message) : Exception(message);
