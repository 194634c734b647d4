using AuroraSoc.NetlinkIsolation.Fuzzing;
using SharpFuzz;

// The fuzz harness (fuzz.sh drives it):
//   list                              the targets, one per line: NAME<TAB>what an input is
//   seed CORPUS_DIR [VECTORS_DIR]     writes each target's seeds from tests/TestVectors to CORPUS_DIR/NAME/
//   fuzz TARGET                       under afl-fuzz (SharpFuzz's fork server); alone, runs stdin once
//   replay TARGET FILE...             runs saved inputs and prints every exception; exit 1 if there was one
return args switch
{
    ["list"] => List(),
    ["seed", string corpus] => Seed(corpus, TestVectorSet.Find(AppContext.BaseDirectory)),
    ["seed", string corpus, string vectors] => Seed(corpus, new TestVectorSet(vectors)),
    ["fuzz", string name] when FuzzTargets.Find(name) is { } target => Fuzz(target),
    ["replay", string name, .. string[] files] when FuzzTargets.Find(name) is { } target && files.Length > 0 => Replay(target, files),
    _ => Usage(),
};

static int List()
{
    foreach (FuzzTarget target in FuzzTargets.All)
    {
        Console.WriteLine($"{target.Name}\t{target.Input}");
    }

    return 0;
}

static int Seed(string corpus, TestVectorSet vectors)
{
    foreach (FuzzTarget target in FuzzTargets.All)
    {
        string directory = Path.Combine(corpus, target.Name);
        Directory.CreateDirectory(directory);
        int count = 0;
        foreach (FuzzSeed seed in target.Seeds(vectors))
        {
            File.WriteAllBytes(Path.Combine(directory, seed.FileName), seed.Bytes);
            count++;
        }

        Console.WriteLine($"{target.Name}: {count} seeds in {directory}");
    }

    return 0;
}

static int Fuzz(FuzzTarget target)
{
    Fuzzer.Run(stream =>
    {
        using var input = new MemoryStream();
        stream.CopyTo(input);
        target.Run(input.GetBuffer().AsSpan(0, (int)input.Length));
    });
    return 0;
}

static int Replay(FuzzTarget target, string[] files)
{
    int findings = 0;
    foreach (string file in files)
    {
        byte[] input = File.ReadAllBytes(file);
        try
        {
            target.Run(input);
            Console.WriteLine($"ok {file}");
        }
#pragma warning disable CA1031 // every exception that escapes a target is the finding being reported
        catch (Exception exception)
#pragma warning restore CA1031
        {
            findings++;
            Console.WriteLine($"FINDING {file} ({input.Length} bytes): {exception.GetType().FullName}: {exception.Message}");
            Console.WriteLine($"  input: {Convert.ToHexString(input)}");
            Console.WriteLine(exception.StackTrace);
        }
    }

    return findings == 0 ? 0 : 1;
}

static int Usage()
{
    Console.Error.WriteLine("usage: list | seed CORPUS_DIR [VECTORS_DIR] | fuzz TARGET | replay TARGET FILE...");
    Console.Error.WriteLine("targets: " + string.Join(", ", FuzzTargets.All.Select(target => target.Name)));
    return 2;
}
