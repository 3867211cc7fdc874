using System.Collections.Immutable;
using System.Text;
using System.Text.RegularExpressions;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Diagnostics;

namespace Folios.Analyzers.Tests;

/// <summary>
/// The C# blocks of a markdown file, compiled against the runtime and run through the Folios rules. A block's fence
/// says what it is after the language word, which renderers ignore:
/// <list type="bullet">
/// <item><c>```csharp</c>: a whole file (top-level statements allowed), with the SDK's implicit usings only.</item>
/// <item><c>```csharp statements(PageAllocator allocator, ExtentBuffer buffer)</c>: the body of a method with those
/// parameters (the list is optional; <c>await</c> makes the method async).</item>
/// <item><c>```csharp members</c>: members of a class.</item>
/// <item><c>misuse=FOLIO003</c> (or <c>misuse=FOLIO001,FOLIO009</c>): a deliberate misuse; the rules must report
/// exactly these. A block without it must get no report from the rules.</item>
/// <item><c>folios.max_folio_order=1</c>: an <c>.editorconfig</c> option the block is analysed with.</item>
/// </list>
/// Fragments (statements, members) also import Folios, System.Buffers, System.Buffers.Binary, System.IO.Pipelines and
/// Microsoft.Win32.SafeHandles, the namespaces a file that uses Folios or Pipelines imports.
/// </summary>
internal static class MarkdownExamples
{
    /// <summary>The global usings of a project with the SDK's implicit usings (ImplicitUsings=enable).</summary>
    private const string ImplicitUsings = """
        global using System;
        global using System.Collections.Generic;
        global using System.IO;
        global using System.Linq;
        global using System.Net.Http;
        global using System.Threading;
        global using System.Threading.Tasks;

        """;

    private const string FragmentUsings = """
        global using Folios;
        global using System.Buffers;
        global using System.Buffers.Binary;
        global using System.IO.Pipelines;
        global using Microsoft.Win32.SafeHandles;

        """;

    private static readonly Regex Shape = new(@"^(?<shape>statements|members)(?:\((?<parameters>[^)]*)\))?(?=\s|$)", RegexOptions.CultureInvariant);

    public sealed record Block(string Path, int Line, string InfoString, string Code)
    {
        /// <summary>Where the block is, as a failure names it: the file, the fence's line and the block's first line.</summary>
        public override string ToString() => $"{Path}:{Line} ({Code.Split('\n')[0].Trim()})";
    }

    /// <summary>The blocks fenced as <c>csharp</c> (or <c>cs</c>, <c>c#</c>) in <paramref name="markdown"/>.</summary>
    public static IEnumerable<Block> Blocks(string path, string markdown)
    {
        var lines = markdown.ReplaceLineEndings("\n").Split('\n');
        for (int i = 0; i < lines.Length; i++)
        {
            string fence = lines[i].TrimStart();
            if (!fence.StartsWith("```", StringComparison.Ordinal))
                continue;
            int indent = lines[i].Length - fence.Length;
            string info = fence[3..].Trim();
            int start = i + 1;
            do
                i++;
            while (i < lines.Length && !lines[i].TrimStart().StartsWith("```", StringComparison.Ordinal));
            string language = info.Split(' ', 2)[0];
            if (language is "csharp" or "cs" or "c#")
            {
                var code = lines[start..Math.Min(i, lines.Length)].Select(line => line.Length >= indent && string.IsNullOrWhiteSpace(line[..indent]) ? line[indent..] : line.TrimStart());
                yield return new Block(path, start, info[language.Length..].Trim(), string.Join('\n', code));
            }
        }
    }

    /// <summary>What is wrong with each block of the file, one message per block that fails; empty when all pass.</summary>
    public static async Task<IReadOnlyList<string>> CheckAsync(string path, string markdown)
    {
        var failures = new List<string>();
        foreach (var block in Blocks(path, markdown))
        {
            string? failure = await CheckAsync(block);
            if (failure is not null)
                failures.Add(failure);
        }
        return failures;
    }

    private static async Task<string?> CheckAsync(Block block)
    {
        var shape = Shape.Match(block.InfoString);
        var misuse = ImmutableSortedSet<string>.Empty;
        var options = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (string word in block.InfoString[shape.Length..].Split(' ', StringSplitOptions.RemoveEmptyEntries))
        {
            if (word.StartsWith("misuse=", StringComparison.Ordinal))
                misuse = [.. word["misuse=".Length..].Split(',')];
            else if (word.StartsWith("folios.", StringComparison.Ordinal) && word.Contains('=', StringComparison.Ordinal))
                options[word[..word.IndexOf('=', StringComparison.Ordinal)]] = word[(word.IndexOf('=', StringComparison.Ordinal) + 1)..];
            else
                return $"{block}: '{word}' in the fence is not a shape (statements(...), members), misuse=FOLIOnnn or folios.option=value";
        }

        string source = Source(block, shape.Success ? shape.Groups["shape"].Value : "file", shape.Groups["parameters"].Value);
        var (tree, compilation, _) = Repository.Compile(source);
        if (!shape.Success && tree.GetRoot().DescendantNodes().OfType<GlobalStatementSyntax>().Any())
            (_, compilation, _) = Repository.Compile(source, OutputKind.ConsoleApplication);
        var errors = compilation.GetDiagnostics().Where(d => d.Severity == DiagnosticSeverity.Error).ToList();
        if (errors.Count > 0)
            return $"{block} does not compile:\n{Describe(errors)}";

        var analyzerOptions = new AnalyzerOptions([], new OptionsProvider(options));
        var reports = (await compilation.WithAnalyzers(AllAnalyzers.Create(), analyzerOptions).GetAnalyzerDiagnosticsAsync())
            .Where(d => d.Id.StartsWith("FOLIO", StringComparison.Ordinal) || d.Id.StartsWith("AD", StringComparison.Ordinal))
            .ToList();
        var reported = reports.Select(d => d.Id).ToImmutableSortedSet(StringComparer.Ordinal);
        if (reported.SetEquals(misuse))
            return null;
        return misuse.IsEmpty
            ? $"{block} is not marked as a misuse (misuse=FOLIOnnn) but the rules report:\n{Describe(reports)}"
            : $"{block} is marked misuse={string.Join(',', misuse)} but the rules report {(reports.Count == 0 ? "nothing" : "\n" + Describe(reports))}";
    }

    /// <summary>The compiled text: the implicit usings, then the block where its shape puts it, mapped to the markdown's lines.</summary>
    private static string Source(Block block, string shape, string parameters)
    {
        var source = new StringBuilder(ImplicitUsings);
        if (shape != "file")
            source.Append(FragmentUsings);
        string lineDirective = $"#line {block.Line + 1} \"{block.Path}\"\n";
        switch (shape)
        {
            case "statements":
                string returns = Regex.IsMatch(block.Code, @"\bawait\b") ? "async Task" : "void";
                source.Append($"class Snippet\n{{\n{returns} Run({parameters})\n{{\n").Append(lineDirective).Append(block.Code).Append("\n#line default\n}\n}\n");
                break;
            case "members":
                source.Append("class Snippet\n{\n").Append(lineDirective).Append(block.Code).Append("\n#line default\n}\n");
                break;
            default:
                source.Append(lineDirective).Append(block.Code).Append('\n');
                break;
        }
        return source.ToString();
    }

    private static string Describe(IEnumerable<Diagnostic> diagnostics) => string.Join('\n', diagnostics.Select(d =>
        $"  line {d.Location.GetMappedLineSpan().StartLinePosition.Line + 1}: {d.Id} {d.GetMessage(System.Globalization.CultureInfo.InvariantCulture)}"));

    /// <summary>The block's <c>folios.*</c> options, as an <c>.editorconfig</c> section for every file would give them.</summary>
    private sealed class OptionsProvider(IReadOnlyDictionary<string, string> values) : AnalyzerConfigOptionsProvider
    {
        private readonly Options _options = new(values);

        public override AnalyzerConfigOptions GlobalOptions => _options;

        public override AnalyzerConfigOptions GetOptions(SyntaxTree tree) => _options;

        public override AnalyzerConfigOptions GetOptions(AdditionalText textFile) => _options;

        private sealed class Options(IReadOnlyDictionary<string, string> values) : AnalyzerConfigOptions
        {
            public override bool TryGetValue(string key, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out string? value) => values.TryGetValue(key, out value);
        }
    }
}
