using BenchmarkDotNet.Running;
using Folios.Benchmarks;

// dotnet run -c Release --project tests/Folios.Benchmarks -- --filter '*'
// dotnet run -c Release --project tests/Folios.Benchmarks -- corpus DIRECTORY FILES heavy|plain   (for analyzer-cost.sh)
if (args is ["corpus", var directory, var files, var kind])
{
    AnalyzerCorpus.Write(directory, int.Parse(files), kind == "heavy");
    return;
}
BenchmarkSwitcher.FromAssembly(typeof(AllocatorBenchmarks).Assembly).Run(args);
