using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.FlowAnalysis;
using Microsoft.CodeAnalysis.Operations;

namespace Folios.Analyzers.Analysis;

/// <summary>
/// One member's code as every Folios rule sees it. The rules register a code-block action, a syntax-level callback,
/// instead of operation actions: the driver then builds no operation tree for our sake, and a member whose text
/// names nothing of Folios (<see cref="Relevance"/>) costs a binary search in its file's index. Only a relevant
/// member's operations are built, once, through the semantic model the driver shares between analyzers. (Tried:
/// operation-block callbacks, where the driver hands over trees and graphs. The rules' reported time on the heavy
/// corpus fell to 0.04 s while the analysis took as long as before: the report stopped seeing the work.)
/// </summary>
internal readonly struct RuleBlock
{
    private readonly CodeBlockAnalysisContext _context;

    private RuleBlock(CodeBlockAnalysisContext context, IOperation root)
    {
        _context = context;
        Root = root;
    }

    /// <summary>The member's operation tree: a method, constructor or accessor body, or an initializer.</summary>
    public IOperation Root { get; }

    public ISymbol ContainingSymbol => _context.OwningSymbol;

    public AnalyzerOptions Options => _context.Options;

    public CancellationToken CancellationToken => _context.CancellationToken;

    public void ReportDiagnostic(Diagnostic diagnostic) => _context.ReportDiagnostic(diagnostic);

    /// <summary>The member's control-flow graph, built once whichever rule asks first (FOLIO003, FOLIO004 and FOLIO005 share it).</summary>
    public ControlFlowGraph? Graph
    {
        get
        {
            if (Root is not (IMethodBodyOperation or IConstructorBodyOperation or IBlockOperation or IFieldInitializerOperation or IPropertyInitializerOperation or IParameterInitializerOperation))
                return null;
            var cache = MemberCache.Of(Root);
            return cache.Graph ??= Build(Root, CancellationToken);
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
    /// Registers a rule: for each member that is not generated (<see cref="GeneratedCode"/>) and whose text passes
    /// <paramref name="relevant"/>, <paramref name="analyze"/> gets the member with its operations built and the
    /// rule's state. <paramref name="prepare"/> makes that state from the compilation's Folios types (null: the rule
    /// does not apply) at the first member, not at compilation start: when compilation-start actions run, the
    /// compiler has not yet bound the references, and whoever resolves a type first pays for binding all of them.
    /// </summary>
    public static void Register<TRule>(AnalysisContext context, Func<FoliosTypes, TRule?> prepare, Func<Relevance, SyntaxNode, bool> relevant, Action<RuleBlock, TRule> analyze)
        where TRule : class =>
        context.RegisterCompilationStartAction(start =>
        {
            var compilation = start.Compilation;
            Prepared<TRule>? prepared = null; // two threads may both prepare it; both get the same answer
            start.RegisterCodeBlockAction(block =>
            {
                if (block.IsGeneratedCode)
                    return;
                prepared ??= new Prepared<TRule>(compilation, prepare);
                if (prepared.Rule is { } rule && relevant(prepared.Relevance!, block.CodeBlock))
                    AnalyzeRoots(block, rule, analyze);
            });
        });

    /// <summary>A rule's state for one compilation, and where its members name Folios.</summary>
    private sealed class Prepared<TRule>
        where TRule : class
    {
        public Prepared(Compilation compilation, Func<FoliosTypes, TRule?> prepare)
        {
            if (FoliosTypes.TryCreate(compilation) is not { } types || prepare(types) is not { } rule)
                return;
            Rule = rule;
            Relevance = Relevance.Of(compilation);
        }

        public TRule? Rule { get; }

        public Relevance? Relevance { get; }
    }

    /// <summary>Analyzes the operation trees of a code block: its declaration's, or those of its body and initializer parts.</summary>
    private static void AnalyzeRoots<TRule>(CodeBlockAnalysisContext block, TRule rule, Action<RuleBlock, TRule> analyze)
    {
        if (block.SemanticModel.GetOperation(block.CodeBlock, block.CancellationToken) is { Parent: null } whole)
        {
            analyze(new RuleBlock(block, whole), rule);
            return;
        }
        foreach (var part in block.CodeBlock.ChildNodes())
        {
            if (block.SemanticModel.GetOperation(part, block.CancellationToken) is { Parent: null } root)
                analyze(new RuleBlock(block, root), rule);
        }
    }
}
