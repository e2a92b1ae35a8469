/** The header navigation: views in labelled groups, the current one marked with `aria-current="page"`. */

/** A navigation entry. */
export interface NavItem {
  readonly id: string;
  readonly label: string;
  readonly render: () => React.JSX.Element;
}

/** A labelled group of entries. */
export interface NavGroup {
  readonly label: string;
  readonly items: readonly NavItem[];
}

/** Props of {@link NavBar}. */
export interface NavBarProps {
  readonly groups: readonly NavGroup[];
  readonly currentId: string;
  readonly onSelect: (id: string) => void;
}

/** The navigation bar. */
export function NavBar({ groups, currentId, onSelect }: NavBarProps): React.JSX.Element {
  return (
    <nav className="nav" aria-label="Views">
      {groups.map((g) => (
        <div key={g.label} className="nav-group" role="group" aria-label={g.label}>
          <span className="nav-group-label" aria-hidden="true">
            {g.label}
          </span>
          {g.items.map((n) => (
            <button
              key={n.id}
              className={n.id === currentId ? 'is-active' : ''}
              aria-current={n.id === currentId ? 'page' : undefined}
              onClick={() => onSelect(n.id)}
              data-testid={`nav-${n.id}`}
            >
              {n.label}
            </button>
          ))}
        </div>
      ))}
    </nav>
  );
}
