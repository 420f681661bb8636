import { useRouter } from '../../route';
import '../../components/operations/operations.css';
import './tasks.css';
import { RunDetail } from './RunDetail';
import { TaskDetail } from './TaskDetail';
import { TaskEditor } from './TaskEditor';
import { TaskList } from './TaskList';

/**
 * Automated tasks: the list (`?view=tasks`), a new task (`&task=new`), one task with its runs
 * (`&task=<id>`), its editor (`&panel=edit`), and one run's results (`&process=<processId>`).
 */
export default function TasksPage() {
  const { route } = useRouter();
  const task = route.params.get('task');
  const process = route.params.get('process');
  if (task === 'new') return <TaskEditor key="new" />;
  const id = Number(task);
  if (task === null || !Number.isInteger(id) || id <= 0) return <TaskList />;
  if (process) return <RunDetail key={`${id}-${process}`} taskId={id} processId={process} />;
  if (route.params.get('panel') === 'edit') return <TaskEditor key={id} id={id} />;
  return <TaskDetail key={id} id={id} />;
}
