using System.Diagnostics;

namespace Folios.Tests.Hardening;

/// <summary>
/// Runs a scenario in a child process (this test assembly, started through its own entry point), so that a crash
/// or a hang is reported as a failure that names the scenario instead of killing or stalling the test host.
/// </summary>
public static class ChildProcess
{
    public static int Main(string[] args)
    {
        if (args.Length < 1 || !Scenarios.All.TryGetValue(args[0], out var scenario))
        {
            Console.Error.WriteLine($"usage: Folios.Runtime.Tests SCENARIO [ARGS]; scenarios: {string.Join(", ", Scenarios.All.Keys)}");
            return 2;
        }
        scenario(args[1..]);
        Console.WriteLine($"{args[0]}: ok");
        return 0;
    }

    /// <summary>Runs the scenario and fails with its name, exit code and output unless it ends well in time.</summary>
    public static string Run(TimeSpan limit, string scenario, params string[] args)
    {
        var start = new ProcessStartInfo(DotNetHost())
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        start.ArgumentList.Add(typeof(ChildProcess).Assembly.Location);
        start.ArgumentList.Add(scenario);
        foreach (var arg in args)
            start.ArgumentList.Add(arg);
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(limit))
        {
            process.Kill(entireProcessTree: true);
            Assert.Fail($"scenario {scenario} hung: still running after {limit.TotalSeconds} s");
        }
        string text = output.Result + error.Result;
        Assert.True(process.ExitCode == 0, $"scenario {scenario} {string.Join(' ', args)} ended with exit code {process.ExitCode}:\n{text}");
        Assert.Contains($"{scenario}: ok", text);
        return text;
    }

    /// <summary>The dotnet host that runs this test host, so the child runs on the same runtime.</summary>
    private static string DotNetHost() =>
        Path.GetFileNameWithoutExtension(Environment.ProcessPath) == "dotnet" ? Environment.ProcessPath!
        : Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") ?? "dotnet";
}
