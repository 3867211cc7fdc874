using System.Collections.Concurrent;
using System.Collections.Immutable;
using Folios.Analyzers.Engine;
using Folios.Analyzers.Rules;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Text;

namespace Folios.Analyzers.Tests;

/// <summary>
/// The rules find a file's code blocks themselves, around the places the file names Folios
/// (<see cref="Relevance.CodeBlocks"/>), instead of taking a callback per member from the driver. Every operation tree
/// the driver hands a code-block action for a member that names Folios must be among the trees the rules find, and the
/// rules must find no tree the driver would not hand over.
/// </summary>
public class CodeBlockTests
{
    /// <summary>Every kind of member that holds code, each naming Folios, and some that name it where no code is.</summary>
    private const string EveryKindOfMember = """
        using System;
        using Folios;

        var topLevel = new PageAllocator();
        using var buffer = ExtentBuffer.Allocate(topLevel, 8192);
        Console.WriteLine(Local(buffer));
        static int Local(ExtentBuffer b) => b.Map().Span.Length;

        [Serializable]
        class Holder : IDisposable
        {
            private static readonly PageAllocator Shared = new PageAllocator();
            private readonly ExtentBuffer _buffer;
            private readonly Func<ExtentBuffer, int> _reader = b => b.Map().Span[0], _plain = null;
            private int _count = 1;

            static Holder() => Console.WriteLine(new PageAllocator().PageSize);
            public Holder() : this(ExtentBuffer.Allocate(Shared, 4096)) { }
            public Holder(ExtentBuffer buffer) => _buffer = buffer;
            ~Holder() => Console.WriteLine(_count);

            public ExtentBuffer Buffer => _buffer;
            public int Length { get { return _buffer.Map().Span.Length; } set { _buffer.Map().Span[0] = (byte)value; } }
            public PageMapping Mapping { get; } = Shared.PageSize > 0 ? null : null;
            public byte this[int i] => _buffer.Map().Span[i];
            public int Plain { get => _count; set => _count = value; }
            public event EventHandler Changed { add { _buffer.Map().Unmap(); } remove { } }

            public static Holder operator +(Holder h, int n) { h._buffer.Map().Unmap(); return h; }
            public static explicit operator ExtentBuffer(Holder h) => h._buffer;

            public int Read(ExtentBuffer other, int at = 4096)
            {
                int Inner() => other.Map().Span[at];
                return Inner();
            }

            public void Dispose() => _buffer.Map().Unmap();

            private int Unrelated() => _count * 2;
        }

        record Wrapped(ExtentBuffer Buffer) : Base(Buffer.Length);
        record Base(int Length);

        enum Sizes { Page = 4096 }
        """;

    [Fact]
    public void The_rules_find_every_tree_the_driver_hands_over_for_a_member_that_names_Folios()
    {
        var sources = RobustnessTests.MutantOrigins();
        sources.AddRange(Repository.SourcesUnder("Samples"));
        int checkedTrees = 0;
        foreach (string source in sources)
            checkedTrees += Compare(source, OutputKind.DynamicallyLinkedLibrary);
        checkedTrees += Compare(EveryKindOfMember, OutputKind.ConsoleApplication);
        Assert.True(checkedTrees > 1000, $"only {checkedTrees} trees compared");
    }

    [Fact]
    public void Every_kind_of_member_that_holds_code_is_found()
    {
        var (tree, compilation, model) = Repository.Compile(EveryKindOfMember, OutputKind.ConsoleApplication);
        var found = Relevance(compilation).CodeBlocks(tree, default)
            .SelectMany(block => RuleBlock.Roots(model, block, default))
            .Select(root => root.Syntax.ToString().Split('\n')[0].Trim())
            .ToList();
        string[] expected =
        [
            "= b => b.Map().Span[0]", "= null",
            "static Holder() => Console.WriteLine(new PageAllocator().PageSize);", "public Holder() : this(ExtentBuffer.Allocate(Shared, 4096)) { }",
            "public Holder(ExtentBuffer buffer) => _buffer = buffer;", "=> _buffer", "get { return _buffer.Map().Span.Length; }",
            "set { _buffer.Map().Span[0] = (byte)value; }", "= Shared.PageSize > 0 ? null : null", "=> _buffer.Map().Span[i]",
            "add { _buffer.Map().Unmap(); }", "public static Holder operator +(Holder h, int n) { h._buffer.Map().Unmap(); return h; }",
            "public static explicit operator ExtentBuffer(Holder h) => h._buffer;", "public int Read(ExtentBuffer other, int at = 4096)",
            "public void Dispose() => _buffer.Map().Unmap();", "record Wrapped(ExtentBuffer Buffer) : Base(Buffer.Length);",
        ];
        Assert.Contains(found, root => root.StartsWith("using System;", StringComparison.Ordinal)); // the top-level statements' code block is the file
        foreach (string start in expected)
            Assert.True(found.Any(root => root.StartsWith(start, StringComparison.Ordinal) || start.StartsWith(root, StringComparison.Ordinal)), $"{start} not among:\n{string.Join("\n", found)}");
        Assert.DoesNotContain(found, root => root.Contains("Unrelated", StringComparison.Ordinal) || root.Contains("_count;", StringComparison.Ordinal));
    }

    [Fact]
    public void A_file_that_names_nothing_of_Folios_has_no_code_blocks_to_look_at()
    {
        var (tree, compilation, _) = Repository.Compile("class Plain { int _n = 4096; int Twice() => _n * 2; int P { get => _n; } }");
        Assert.Empty(Relevance(compilation).CodeBlocks(tree, default));
    }

    /// <summary>The IDE asks about the member being edited (a filter span): its findings are reported, and no others.</summary>
    [Fact]
    public async Task A_filter_span_gets_the_findings_of_the_members_in_it()
    {
        var (tree, compilation, model) = Repository.Compile(Snippets.Usings + """
            class C
            {
                Folio First(PageAllocator a) => a.Allocate(2, AllocFlags.NoFail);
                Folio Second(PageAllocator a) => a.Allocate(3, AllocFlags.NoFail);
            }
            """);
        var analyzers = ImmutableArray.Create<DiagnosticAnalyzer>(new Folios.Analyzers.Rules.NoFailOrderAnalyzer());
        var second = tree.GetRoot().DescendantNodes().OfType<MethodDeclarationSyntax>().Single(m => m.Identifier.Text == "Second");
        var inSpan = await compilation.WithAnalyzers(analyzers).GetAnalyzerSemanticDiagnosticsAsync(model, second.Span, default);
        var whole = await compilation.WithAnalyzers(analyzers).GetAnalyzerSemanticDiagnosticsAsync(model, null, default);
        Assert.Equal(second.Span.Start, Assert.Single(inSpan).Location.SourceSpan.Start - "Folio Second(PageAllocator a) => ".Length);
        Assert.Equal(2, whole.Length);
    }

    /// <summary>Compares the driver's trees with the rules' on one source; returns how many of the driver's trees were compared.</summary>
    private static int Compare(string source, OutputKind kind)
    {
        var (tree, compilation, model) = Repository.Compile(source, kind);
        var recorder = new CodeBlockRecorder();
        compilation.WithAnalyzers([recorder]).GetAnalyzerDiagnosticsAsync().GetAwaiter().GetResult();
        var relevance = Relevance(compilation);
        var places = relevance.Of(tree);
        var ours = relevance.CodeBlocks(tree, default).SelectMany(block => RuleBlock.Roots(model, block, default)).Select(Key).ToHashSet();
        var driverAll = new HashSet<(TextSpan, OperationKind)>();
        int compared = 0;
        foreach (var block in recorder.Blocks)
        {
            var roots = DriverRoots(model, block).Select(Key).ToList();
            driverAll.UnionWith(roots);
            // A member that holds only a scanned place (a literal 4096) needs a word of its vocabulary's too.
            if (!Vocabulary.All.Any(vocabulary => vocabulary.Words is not null && places.Holds(vocabulary, block.Span)))
                continue;
            foreach (var root in roots)
            {
                Assert.True(ours.Contains(root), $"The driver's tree {root} of a member that holds a place was not found:\n{block}\n--- in ---\n{source}");
                compared++;
            }
        }
        foreach (var root in ours)
            Assert.True(driverAll.Contains(root), $"The rules found a tree {root} the driver hands over for no member; the driver's code blocks: {string.Join(", ", recorder.Blocks.Select(b => $"{b.Kind()} {b.Span}"))}\n{source}");
        return compared;
    }

    /// <summary>
    /// The trees of a code block the driver hands over, found as the rules found them when the driver handed them code
    /// blocks (the declaration's tree, or its parts'), and a field declaration's initializers, which that way missed.
    /// (That way also analysed every member of an attributed type twice, once under the type.)
    /// </summary>
    private static IEnumerable<IOperation> DriverRoots(SemanticModel model, SyntaxNode block)
    {
        if (block is BaseFieldDeclarationSyntax field)
            return field.Declaration.Variables.Where(v => v.Initializer is not null).Select(v => model.GetOperation(v.Initializer!)!);
        if (model.GetOperation(block) is { Parent: null } whole)
            return [whole];
        // An attributed type is a code block too (its attributes' arguments); its members are code blocks of their own.
        if (block is TypeDeclarationSyntax)
            return [];
        return block.ChildNodes().Select(part => model.GetOperation(part)).Where(root => root is { Parent: null })!;
    }

    private static (TextSpan, OperationKind) Key(IOperation root) => (root.Syntax.Span, root.Kind);

    /// <summary>Records the code blocks the driver hands a code-block action.</summary>
#pragma warning disable RS1036, RS1041, RS2008 // a test double, never shipped
    [DiagnosticAnalyzer(LanguageNames.CSharp)]
    private sealed class CodeBlockRecorder : DiagnosticAnalyzer
    {
        // The driver skips an analyzer that can report nothing.
        private static readonly DiagnosticDescriptor Never = new("RECORDER", "Never reported", "Never reported", "Test", DiagnosticSeverity.Warning, true);

        public ConcurrentBag<SyntaxNode> Blocks { get; } = [];

        public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics => [Never];

        public override void Initialize(AnalysisContext context)
        {
            context.ConfigureGeneratedCodeAnalysis(GeneratedCodeAnalysisFlags.Analyze);
            context.EnableConcurrentExecution();
            context.RegisterCodeBlockAction(block => Blocks.Add(block.CodeBlock));
        }
    }
#pragma warning restore RS1036, RS1041, RS2008

    private static Relevance Relevance(Compilation compilation)
    {
        Repository.DeclareVocabularies();
        return CompilationFacts.Of(compilation).Relevance;
    }
}
