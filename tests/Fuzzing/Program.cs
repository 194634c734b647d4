using System.Diagnostics;
using System.Globalization;
using AuroraSoc.NetlinkIsolation.Fuzzing;

// A libFuzzer-style in-process loop over the reply decoders, guided by behaviour features (which stage accepted or
// refused an input, and the shape of what the renderer printed): an input that shows a new feature joins the corpus.
// The oracle allows only protocol violations; any other exception is a finding, saved as hex, bucketed by type and
// throwing frame. A watchdog reports an input that runs longer than --hang-seconds.
//
//   dotnet run -c Release --project tests/Fuzzing -- --seconds 120 [--seed N] [--findings DIR] [--hang-seconds 10]
var options = Options.Parse(args);
string vectors = FuzzSeeds.FindVectorDirectory(AppContext.BaseDirectory);
List<byte[]> seeds = FuzzSeeds.Load(vectors);
var mutator = new ReplyMutator(seeds);
var random = new Random(options.Seed);
var features = new HashSet<string>(StringComparer.Ordinal);
foreach (byte[] seed in seeds)
{
    DecoderOracle.Exercise(seed, features);
}

int seedFeatures = features.Count;
var findings = new Dictionary<string, (int Count, string File)>(StringComparer.Ordinal);
long executed = 0;
long added = 0;
byte[] current = [];
long currentStarted = Stopwatch.GetTimestamp();
var watch = Stopwatch.StartNew();
var deadline = TimeSpan.FromSeconds(options.Seconds);

using var done = new CancellationTokenSource();
var watchdog = new Thread(() =>
{
    while (!done.IsCancellationRequested)
    {
        Thread.Sleep(500);
        byte[] input = Volatile.Read(ref current);
        if (Stopwatch.GetElapsedTime(Interlocked.Read(ref currentStarted)).TotalSeconds > options.HangSeconds)
        {
            string file = Save(options.Findings, "hang", input);
            Console.WriteLine($"HANG: an input ran longer than {options.HangSeconds} s; saved to {file}");
            Environment.Exit(3);
        }
    }
})
{ IsBackground = true, Name = "fuzz watchdog" };
watchdog.Start();

Console.WriteLine($"seeds: {seeds.Count} from {vectors}; seed features: {seedFeatures}; budget {options.Seconds} s; seed {options.Seed}");
var progress = Stopwatch.StartNew();
while (watch.Elapsed < deadline)
{
    byte[] input = mutator.Next(random);
    Volatile.Write(ref current, input);
    Interlocked.Exchange(ref currentStarted, Stopwatch.GetTimestamp());
    int before = features.Count;
    try
    {
        DecoderOracle.Exercise(input, features);
    }
#pragma warning disable CA1031 // every other exception is a finding
    catch (Exception exception)
#pragma warning restore CA1031
    {
        string frame = exception.StackTrace?.Split('\n').FirstOrDefault()?.Trim() ?? "?";
        string bucket = $"{exception.GetType().FullName} {frame}";
        if (!findings.TryGetValue(bucket, out var known))
        {
            string file = Save(options.Findings, "crash", input);
            Console.WriteLine($"FINDING {bucket}: {exception.Message} -> {file}");
            known = (0, file);
        }

        findings[bucket] = (known.Count + 1, known.File);
    }

    if (features.Count > before && added < 20_000)
    {
        mutator.AddSeed(input);
        added++;
    }

    executed++;
    if (progress.Elapsed.TotalSeconds >= 10)
    {
        progress.Restart();
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  {watch.Elapsed.TotalSeconds:0} s: {executed} inputs, {executed / watch.Elapsed.TotalSeconds:0}/s, corpus +{added}, features {features.Count}, findings {findings.Count}"));
    }
}

done.Cancel();
Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
    $"done: {executed} inputs in {watch.Elapsed.TotalSeconds:0.0} s ({executed / watch.Elapsed.TotalSeconds:0}/s); corpus {seeds.Count} seeds + {added} added; features {seedFeatures} -> {features.Count}; findings {findings.Count} unique ({findings.Values.Sum(f => f.Count)} inputs)"));
foreach ((string bucket, (int count, string file)) in findings)
{
    Console.WriteLine($"  {count} x {bucket} (first: {file})");
}

return findings.Count == 0 ? 0 : 1;

static string Save(string directory, string kind, byte[] input)
{
    Directory.CreateDirectory(directory);
    string file = Path.Combine(directory, $"{kind}-{Convert.ToHexString(System.Security.Cryptography.SHA256.HashData(input))[..16]}.hex");
    File.WriteAllText(file, Convert.ToHexString(input) + "\n");
    return file;
}

internal sealed record Options(int Seconds, int Seed, string Findings, int HangSeconds)
{
    public static Options Parse(string[] args)
    {
        int seconds = 60;
        int seed = 1;
        int hang = 10;
        string findings = Path.Combine(Path.GetTempPath(), "aurorasoc-fuzz-findings");
        for (int i = 0; i + 1 < args.Length; i += 2)
        {
            switch (args[i])
            {
                case "--seconds":
                    seconds = int.Parse(args[i + 1], CultureInfo.InvariantCulture);
                    break;
                case "--seed":
                    seed = int.Parse(args[i + 1], CultureInfo.InvariantCulture);
                    break;
                case "--findings":
                    findings = args[i + 1];
                    break;
                case "--hang-seconds":
                    hang = int.Parse(args[i + 1], CultureInfo.InvariantCulture);
                    break;
                default:
                    throw new ArgumentException($"unknown option {args[i]}; use --seconds N --seed N --findings DIR --hang-seconds N");
            }
        }

        return new Options(seconds, seed, findings, hang);
    }
}
