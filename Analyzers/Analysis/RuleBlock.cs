using System.Runtime.CompilerServices;
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
    private static readonly ConditionalWeakTable<IOperation, ControlFlowGraph> Graphs = new();

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

    /// <summary>The member's control-flow graph, built once whichever rule asks first (FOLIO003 and FOLIO004 share it).</summary>
    public ControlFlowGraph? Graph
    {
        get
        {
            var cancellation = CancellationToken;
            return Root is IMethodBodyOperation or IConstructorBodyOperation or IBlockOperation or IFieldInitializerOperation or IPropertyInitializerOperation or IParameterInitializerOperation
                ? Graphs.GetValue(Root, root => Build(root, cancellation))
                : null;
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
    public IEnumerable<T> Operations<T>()
        where T : IOperation
    {
        foreach (var operation in OperationTrees.Of(Root))
        {
            if (operation is T wanted)
                yield return wanted;
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
                if (prepared.Rule is not { } rule || !relevant(prepared.Relevance!, block.CodeBlock))
                    return;
                foreach (var root in Roots(block))
                    analyze(new RuleBlock(block, root), rule);
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
            Relevance = Relevance.Of(compilation, types);
        }

        public TRule? Rule { get; }

        public Relevance? Relevance { get; }
    }

    /// <summary>The operation trees of a code block: its declaration's, or those of its body and initializer parts.</summary>
    private static IEnumerable<IOperation> Roots(CodeBlockAnalysisContext block)
    {
        if (block.SemanticModel.GetOperation(block.CodeBlock, block.CancellationToken) is { Parent: null } whole)
        {
            yield return whole;
            yield break;
        }
        foreach (var part in block.CodeBlock.ChildNodes())
        {
            if (block.SemanticModel.GetOperation(part, block.CancellationToken) is { Parent: null } root)
                yield return root;
        }
    }
}
