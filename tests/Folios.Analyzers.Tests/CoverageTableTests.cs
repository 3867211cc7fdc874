using System.Text.RegularExpressions;

namespace Folios.Analyzers.Tests;

/// <summary>docs/coverage.md stays honest: 32 patterns, and every rule or runtime check it claims names a test that exists.</summary>
public class CoverageTableTests
{
    [Fact]
    public void Every_claimed_rule_or_runtime_check_names_an_existing_test()
    {
        string root = Repository.Root;
        var rows = File.ReadAllLines(Path.Combine(root, "docs", "coverage.md"))
            .Where(line => Regex.IsMatch(line, @"^\| \d+ \|"))
            .Select(line => line.Split(" | "))
            .ToList();
        Assert.Equal(Enumerable.Range(1, 32), rows.Select(r => int.Parse(r[0].TrimStart('|', ' '))));

        var testSources = Directory.GetFiles(Path.Combine(root, "tests"), "*.cs", SearchOption.AllDirectories)
            .Where(path => !path.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}"))
            .Select(File.ReadAllText)
            .ToList();
        foreach (var row in rows)
        {
            string stoppedBy = row[2], proof = row[3];
            bool claimsCheck = Regex.IsMatch(stoppedBy, @"rule FOLIO\d{3}|runtime");
            var tests = Regex.Matches(proof, @"`(\w+)\.(\w+)`").Select(m => (Class: m.Groups[1].Value, Method: m.Groups[2].Value)).ToList();
            Assert.True(!claimsCheck || tests.Count > 0, $"row {row[0]} claims a rule or runtime check but names no test");
            foreach (var (type, method) in tests)
            {
                Assert.True(testSources.Any(source => Regex.IsMatch(source, $@"class {type}\b") && Regex.IsMatch(source, $@"\b{method}\(")),
                    $"row {row[0]} names {type}.{method}, which no test defines");
            }
        }
    }
}
