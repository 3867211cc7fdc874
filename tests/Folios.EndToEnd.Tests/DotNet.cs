using System.Text;
using CliWrap;

namespace Folios.EndToEnd.Tests;

/// <summary>Runs the dotnet CLI the way a user would, outside the test host's MSBuild environment.</summary>
internal static class DotNet
{
    public static (int ExitCode, string Output) Run(string workingDirectory, TimeSpan timeout, params string[] arguments) =>
        Run(workingDirectory, timeout, new Dictionary<string, string?>(), arguments);

    /// <summary>Runs with <paramref name="environment"/> added to the variables the child gets.</summary>
    public static (int ExitCode, string Output) Run(string workingDirectory, TimeSpan timeout, IReadOnlyDictionary<string, string?> environment, params string[] arguments)
    {
        var output = new StringBuilder();
        var command = Command(workingDirectory, environment, arguments)
            .WithStandardOutputPipe(PipeTarget.ToStringBuilder(output))
            .WithStandardErrorPipe(PipeTarget.ToStringBuilder(output))
            .WithValidation(CommandResultValidation.None);
        using var deadline = new CancellationTokenSource(timeout);
        try
        {
            var result = command.ExecuteAsync(deadline.Token).GetAwaiter().GetResult();
            return (result.ExitCode, output.ToString());
        }
        catch (OperationCanceledException)
        {
            throw new TimeoutException($"dotnet {string.Join(' ', arguments)} did not finish within {timeout}:\n{output}");
        }
    }

    public static string RunOrFail(string workingDirectory, params string[] arguments)
    {
        var (exitCode, output) = Run(workingDirectory, TimeSpan.FromMinutes(5), arguments);
        Assert.True(exitCode == 0, $"dotnet {string.Join(' ', arguments)} exited with {exitCode}:\n{output}");
        return output;
    }

    /// <summary>
    /// A dotnet command without the test host's MSBuild variables: the test runs inside <c>dotnet test</c>, and those
    /// variables would point the child at the wrong SDK pieces (a null value removes a variable).
    /// </summary>
    public static Command Command(string workingDirectory, params string[] arguments) =>
        Command(workingDirectory, new Dictionary<string, string?>(), arguments);

    private static Command Command(string workingDirectory, IReadOnlyDictionary<string, string?> environment, string[] arguments) => Cli.Wrap("dotnet")
        .WithArguments(arguments)
        .WithWorkingDirectory(workingDirectory)
        .WithEnvironmentVariables(variables =>
        {
            foreach (string name in Environment.GetEnvironmentVariables().Keys)
            {
                if (name.StartsWith("MSBUILD", StringComparison.OrdinalIgnoreCase))
                    variables.Set(name, null);
            }
            variables.Set("DOTNET_CLI_TELEMETRY_OPTOUT", "1").Set("DOTNET_NOLOGO", "1").Set(environment);
        });
}
