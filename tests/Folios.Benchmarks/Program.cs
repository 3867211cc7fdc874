using BenchmarkDotNet.Running;

// dotnet run -c Release --project tests/Folios.Benchmarks -- --filter '*'
BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
