using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.FlowAnalysis;
using Microsoft.CodeAnalysis.Operations;

namespace Folios.Analyzers.Engine;

/// <summary>
/// One member's code as every rule sees it. The rules register one callback per file (a semantic-model action) and
/// look only at the members whose text holds a place the rule asks about (<see cref="Relevance"/>): a file that names
/// nothing a rule checks costs one lookup per rule, instead of the driver's dispatch for every member of every file for
/// every rule. Only a relevant member's operations are built, once, through the semantic model the driver shares
/// between analyzers, and what one rule derives from them is kept for the next (<see cref="MemberCache"/>). The driver's
/// own operation-block callbacks would bind every member of every file for every rule.
/// </summary>
internal readonly struct RuleBlock
{
    private readonly SemanticModelAnalysisContext _context;
    private readonly Member _member;

    private RuleBlock(SemanticModelAnalysisContext context, Member member, IOperation root)
    {
        _context = context;
        _member = member;
        Root = root;
    }

    /// <summary>The member's operation tree: a method, constructor or accessor body, or an initializer.</summary>
    public IOperation Root { get; }

    /// <summary>The member's symbol: the method, accessor, field or property whose code this is.</summary>
    public ISymbol? ContainingSymbol => _member.Symbol(_context.SemanticModel, _context.CancellationToken);

    public AnalyzerOptions Options => _context.Options;

    public CancellationToken CancellationToken => _context.CancellationToken;

    /// <summary>Reports, unless the member or a type around it is marked generated (asked at the member's first report).</summary>
    public void ReportDiagnostic(Diagnostic diagnostic)
    {
        if (!_member.IsMarkedGenerated(_context.SemanticModel, _context.CancellationToken))
            _context.ReportDiagnostic(diagnostic);
    }

    /// <summary>The member's control-flow graph, built once whichever rule asks first (FOLIO003, FOLIO004 and FOLIO005 share it).</summary>
    public ControlFlowGraph? Graph
    {
        get
        {
            if (Root is not (IMethodBodyOperation or IConstructorBodyOperation or IBlockOperation or IFieldInitializerOperation or IPropertyInitializerOperation or IParameterInitializerOperation))
                return null;
            var cancellation = CancellationToken;
            return MemberCache.Of(Root).Fact(Root, root => Build(root, cancellation));
        }
    }

    private static ControlFlowGraph Build(IOperation root, CancellationToken cancellation) => root switch
    {
        IMethodBodyOperation body => ControlFlowGraph.Create(body, cancellation),
        IConstructorBodyOperation body => ControlFlowGraph.Create(body, cancellation),
        IBlockOperation block => ControlFlowGraph.Create(block, cancellation),
        IFieldInitializerOperation initializer => ControlFlowGraph.Create(initializer, cancellation),
        IPropertyInitializerOperation initializer => ControlFlowGraph.Create(initializer, cancellation),
        _ => ControlFlowGraph.Create((IParameterInitializerOperation)root, cancellation),
    };

    /// <summary>The operations of the member of the given type, lambdas and local functions included, in source order.</summary>
    public OperationsOf<T> Operations<T>()
        where T : class, IOperation => new(OperationTrees.Of(Root));

    /// <summary>The operations of one type among a member's listing; a struct, so that the rules' loops allocate nothing.</summary>
    public readonly struct OperationsOf<T>(IOperation[] all)
        where T : class, IOperation
    {
        public Enumerator GetEnumerator() => new(all);

        public struct Enumerator(IOperation[] all)
        {
            private int _next;

            public T Current { get; private set; } = null!;

            public bool MoveNext()
            {
                while (_next < all.Length)
                {
                    if (all[_next++] is T wanted)
                    {
                        Current = wanted;
                        return true;
                    }
                }
                return false;
            }
        }
    }

    /// <summary>
    /// Registers a rule, the one way every rule registers: for each member of a file that is not generated
    /// (<see cref="GeneratedCode"/>) and that holds a place of <paramref name="lookFor"/> (<see cref="Relevance"/>),
    /// <paramref name="analyze"/> gets the member with its operations built and
    /// the rule's state. <paramref name="prepare"/> makes that state from the compilation's facts (null: the rule does
    /// not apply) at the first relevant member, not at compilation start: a compilation that never names what the rule
    /// checks resolves none of its types.
    /// </summary>
    public static void Register<TRule>(AnalysisContext context, Func<CompilationFacts, TRule?> prepare, Vocabulary lookFor, Action<RuleBlock, TRule> analyze)
        where TRule : class =>
        Register(context, prepare, [lookFor], (places, block) => places.Holds(lookFor, block.Span), analyze);

    /// <summary>
    /// Registers a rule whose question of a member is more than "does it hold a place of this vocabulary":
    /// <paramref name="relevant"/> asks it of the places of <paramref name="vocabularies"/> (named here, so that they are
    /// declared before the compilation's files are read).
    /// </summary>
    public static void Register<TRule>(AnalysisContext context, Func<CompilationFacts, TRule?> prepare, Vocabulary[] vocabularies, Func<FilePlaces, SyntaxNode, bool> relevant, Action<RuleBlock, TRule> analyze)
        where TRule : class =>
        context.RegisterCompilationStartAction(start =>
        {
            var compilation = start.Compilation;
            Prepared<TRule>? prepared = null; // two threads may both prepare it; both get the same answer
            start.RegisterSemanticModelAction(file =>
            {
                if (file.IsGeneratedCode)
                    return;
                var relevance = CompilationFacts.Of(compilation).Relevance;
                var tree = file.SemanticModel.SyntaxTree;
                var places = relevance.Of(tree);
                foreach (var block in relevance.CodeBlocks(tree, file.CancellationToken))
                {
                    if ((file.FilterSpan is not { } filter || block.Span.IntersectsWith(filter)) && relevant(places, block)
                        && (prepared ??= new Prepared<TRule>(CompilationFacts.Of(compilation), prepare)).Rule is { } rule)
                        AnalyzeRoots(file, block, rule, analyze);
                }
            });
        });

    /// <summary>A rule's state for one compilation, made when its first relevant member is found.</summary>
    private sealed class Prepared<TRule>(CompilationFacts facts, Func<CompilationFacts, TRule?> prepare)
        where TRule : class
    {
        public TRule? Rule { get; } = prepare(facts);
    }

    private static void AnalyzeRoots<TRule>(SemanticModelAnalysisContext file, SyntaxNode block, TRule rule, Action<RuleBlock, TRule> analyze)
    {
        var member = new Member(block);
        foreach (var root in Roots(file.SemanticModel, block, file.CancellationToken))
            analyze(new RuleBlock(file, member, root), rule);
    }

    /// <summary>
    /// The operation trees of a code block (see <see cref="Relevance.CodeBlocks"/>): its declaration's; a field
    /// declaration's are its declarators' initializers (the rules, when the driver handed them code blocks, asked the
    /// declaration for a tree and found none: field initializers went unchecked); a property's are its expression body
    /// and initializer.
    /// </summary>
    internal static List<IOperation> Roots(SemanticModel model, SyntaxNode block, CancellationToken cancellation)
    {
        var roots = new List<IOperation>(1);
        if (block is BaseFieldDeclarationSyntax field)
        {
            foreach (var declarator in field.Declaration.Variables)
                AddRoot(model, declarator.Initializer, roots, cancellation);
        }
        else if (block is BasePropertyDeclarationSyntax property)
        {
            AddRoot(model, (property as PropertyDeclarationSyntax)?.ExpressionBody ?? (property as IndexerDeclarationSyntax)?.ExpressionBody, roots, cancellation);
            AddRoot(model, (property as PropertyDeclarationSyntax)?.Initializer, roots, cancellation);
        }
        else
        {
            AddRoot(model, block, roots, cancellation);
        }
        return roots;
    }

    private static void AddRoot(SemanticModel model, SyntaxNode? part, List<IOperation> roots, CancellationToken cancellation)
    {
        if (part is not null && model.GetOperation(part, cancellation) is { Parent: null } root)
            roots.Add(root);
    }

    /// <summary>What a rule asks of a member beyond its operations, found only when asked: its symbol, and whether it is marked generated.</summary>
    private sealed class Member(SyntaxNode block)
    {
        private ISymbol? _symbol;
        private bool _symbolFound;
        private bool? _markedGenerated;

        public ISymbol? Symbol(SemanticModel model, CancellationToken cancellation)
        {
            if (!_symbolFound)
            {
                // A field declaration declares its fields one per declarator.
                _symbol = model.GetDeclaredSymbol(block is BaseFieldDeclarationSyntax field ? field.Declaration.Variables.FirstOrDefault() ?? block : block, cancellation);
                // An expression-bodied property's code is its getter's.
                if (_symbol is IPropertySymbol { GetMethod: { } getter } && block is PropertyDeclarationSyntax { ExpressionBody: not null } or IndexerDeclarationSyntax { ExpressionBody: not null })
                    _symbol = getter;
                _symbolFound = true;
            }
            return _symbol;
        }

        public bool IsMarkedGenerated(SemanticModel model, CancellationToken cancellation) =>
            _markedGenerated ??= GeneratedCode.IsMarked(Symbol(model, cancellation) ?? model.GetEnclosingSymbol(block.SpanStart, cancellation), model.Compilation);
    }
}
