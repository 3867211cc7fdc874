using Folios.Analyzers.Engine;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Operations;

namespace Folios.Analyzers.Values;

/// <summary>
/// Where each local and parameter of a member is written, as positions in the text: the end of each assignment,
/// increment, deconstruction, ref or out argument and initialized declaration (a write takes effect when it
/// completes); a write through a ref local is a write of its target too. A variable written inside a lambda or
/// local function, or whose address is taken, may change at any time and is written "anywhere". One walk per member, kept in its <see cref="MemberCache"/>.
/// </summary>
internal sealed class VariableWrites
{
    private readonly Dictionary<ISymbol, List<int>> _writes = new(SymbolEqualityComparer.Default);
    private readonly HashSet<ISymbol> _anywhere = new(SymbolEqualityComparer.Default);
    private readonly Dictionary<ILocalSymbol, ISymbol> _aliases = new(SymbolEqualityComparer.Default);

    private VariableWrites(IOperation root)
    {
        foreach (var operation in OperationTrees.Of(root))
        {
            switch (operation)
            {
                case IVariableDeclaratorOperation { Initializer: { } initializer } declarator:
                    // A ref local is another name for its target: what it writes, the target gets.
                    if (declarator.Symbol.IsRef && OperationShape.VariableOf(initializer.Value) is { } target)
                        _aliases[declarator.Symbol] = target;
                    else
                        Add(declarator.Symbol, declarator, declarator.Syntax.Span.End);
                    break;
                case IDeconstructionAssignmentOperation deconstruction:
                    foreach (var part in deconstruction.Target.DescendantsAndSelf())
                    {
                        if (part is ILocalReferenceOperation or IParameterReferenceOperation)
                            Add(OperationShape.VariableOf(part), deconstruction, deconstruction.Syntax.Span.End);
                    }
                    break;
                case IAssignmentOperation assignment:
                    Add(OperationShape.VariableOf(assignment.Target), assignment, assignment.Syntax.Span.End);
                    break;
                case IIncrementOrDecrementOperation increment:
                    Add(OperationShape.VariableOf(increment.Target), increment, increment.Syntax.Span.End);
                    break;
                case IDeclarationExpressionOperation declaration:
                    Add(OperationShape.VariableOf(declaration.Expression), declaration, declaration.Syntax.Span.End);
                    break;
                case IArgumentOperation { Parameter.RefKind: RefKind.Ref or RefKind.Out } argument:
                    Add(OperationShape.VariableOf(argument.Value), argument, (argument.Parent ?? argument).Syntax.Span.End);
                    break;
                case IAddressOfOperation address when OperationShape.VariableOf(address.Reference) is { } pinned:
                    _anywhere.Add(pinned);
                    break;
            }
        }
    }

    public static VariableWrites Of(IOperation operation)
    {
        var cache = MemberCache.Of(operation);
        return cache.Fact(cache.Root, static root => new VariableWrites(root));
    }

    /// <summary>Whether the variable is written after <paramref name="start"/> and before <paramref name="end"/>, or may be written at any time.</summary>
    public bool WrittenBetween(ISymbol variable, int start, int end)
    {
        if (_anywhere.Contains(variable))
            return true;
        if (_writes.TryGetValue(variable, out var positions))
        {
            foreach (int at in positions)
            {
                if (at > start && at < end)
                    return true;
            }
        }
        return false;
    }

    /// <summary>Where the variable is written, as the positions its writes end at (empty when it never is).</summary>
    public IReadOnlyList<int> PositionsOf(ISymbol variable) =>
        _writes.TryGetValue(variable, out var positions) ? positions : [];

    /// <summary>Whether the variable may be written at any time (by a lambda, a local function, a pointer or a ref).</summary>
    public bool WrittenAnywhere(ISymbol variable) => _anywhere.Contains(variable);

    private void Add(ISymbol? variable, IOperation write, int at)
    {
        if (variable is not (ILocalSymbol or IParameterSymbol))
            return;
        if (variable is ILocalSymbol { IsRef: true } alias && _aliases.TryGetValue(alias, out var target))
            Add(target, write, at);
        if (OperationShape.InNestedFunction(write) && !DeclaredIn(variable, write))
            _anywhere.Add(variable);
        if (!_writes.TryGetValue(variable, out var positions))
            _writes[variable] = positions = [];
        positions.Add(at);
    }

    /// <summary>A local of the lambda or local function itself changes only while it runs.</summary>
    private static bool DeclaredIn(ISymbol variable, IOperation write)
    {
        for (var parent = write.Parent; parent is not null; parent = parent.Parent)
        {
            if (parent is IAnonymousFunctionOperation or ILocalFunctionOperation)
                return variable.ContainingSymbol is IMethodSymbol method && parent switch
                {
                    IAnonymousFunctionOperation lambda => SymbolEqualityComparer.Default.Equals(method, lambda.Symbol),
                    ILocalFunctionOperation local => SymbolEqualityComparer.Default.Equals(method, local.Symbol),
                    _ => false,
                };
        }
        return false;
    }
}
