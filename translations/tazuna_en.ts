<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="en">
<context>
    <name>ErrorText</name>
    <message>
        <source>You are not allowed to do this. Nothing was changed; an administrator can do it for you.</source>
        <translation>You are not allowed to do this. Nothing was changed; an administrator can do it for you.</translation>
    </message>
    <message>
        <source>The Tazuna helper is not reachable. It may be restarting; the window reconnects by itself.</source>
        <translation>The Tazuna helper is not reachable. It may be restarting; the window reconnects by itself.</translation>
    </message>
    <message>
        <source>This service no longer exists. It may have been removed a moment ago.</source>
        <translation>This service no longer exists. It may have been removed a moment ago.</translation>
    </message>
    <message>
        <source>A service with this name already exists. Choose another name.</source>
        <translation>A service with this name already exists. Choose another name.</translation>
    </message>
    <message>
        <source>This template is no longer available. Choose another template.</source>
        <translation>This template is no longer available. Choose another template.</translation>
    </message>
    <message>
        <source>This log file is gone, probably rotated away. Open the log again.</source>
        <translation>This log file is gone, probably rotated away. Open the log again.</translation>
    </message>
    <message>
        <source>There is no user with this name on this computer. Check the &quot;Run as&quot; field.</source>
        <translation>There is no user with this name on this computer. Check the &quot;Run as&quot; field.</translation>
    </message>
    <message>
        <source>The program cannot be run by the chosen user. Check the path and that the file is executable.</source>
        <translation>The program cannot be run by the chosen user. Check the path and that the file is executable.</translation>
    </message>
    <message>
        <source>This service is not being watched by supervise yet. Wait a few seconds and try again.</source>
        <translation>This service is not being watched by supervise yet. Wait a few seconds and try again.</translation>
    </message>
    <message>
        <source>The service is busy with another change. Try again in a moment.</source>
        <translation>The service is busy with another change. Try again in a moment.</translation>
    </message>
    <message>
        <source>The value of &quot;%1&quot; is not accepted. Correct it and try again.</source>
        <translation>The value of &quot;%1&quot; is not accepted. Correct it and try again.</translation>
    </message>
    <message>
        <source>One of the values is not accepted. Check the fields and try again.</source>
        <translation>One of the values is not accepted. Check the fields and try again.</translation>
    </message>
    <message>
        <source>The operation failed. Details from the helper: %1</source>
        <translation>The operation failed. Details from the helper: %1</translation>
    </message>
    <message>
        <source>This value is not accepted. Correct it and try again.</source>
        <translation>This value is not accepted. Correct it and try again.</translation>
    </message>
    <message>
        <source>There is no user with this name on this computer.</source>
        <translation>There is no user with this name on this computer.</translation>
    </message>
    <message>
        <source>The helper refused: you have reached the number of services you may create, or too many requests are waiting. Remove a service you no longer need, or try again in a moment.</source>
        <translation>The helper refused: you have reached the number of services you may create, or too many requests are waiting. Remove a service you no longer need, or try again in a moment.</translation>
    </message>
    <message>
        <source>Logging cannot be turned off here: svscan follows daemontools 0.76&apos;s rule and runs a logger for every service that has a log directory. Nothing was changed.</source>
        <translation>Logging cannot be turned off here: svscan follows daemontools 0.76&apos;s rule and runs a logger for every service that has a log directory. Nothing was changed.</translation>
    </message>
    <message>
        <source>This name cannot be used. Use letters, digits, &apos;.&apos;, &apos;-&apos;, &apos;_&apos;, &apos;@&apos; or &apos;+&apos;, not starting with &apos;.&apos; or &apos;-&apos;.</source>
        <translation>This name cannot be used. Use letters, digits, &apos;.&apos;, &apos;-&apos;, &apos;_&apos;, &apos;@&apos; or &apos;+&apos;, not starting with &apos;.&apos; or &apos;-&apos;.</translation>
    </message>
    <message>
        <source>Authentication was cancelled, so nothing was done. Try again to be asked once more.</source>
        <translation>Authentication was cancelled, so nothing was done. Try again to be asked once more.</translation>
    </message>
    <message>
        <source>This needs an administrator&apos;s password, which Tazuna asks for only when you do it yourself.</source>
        <translation>This needs an administrator&apos;s password, which Tazuna asks for only when you do it yourself.</translation>
    </message>
</context>
<context>
    <name>ServiceWizard</name>
    <message>
        <source>Run as user</source>
        <translation>Run as user</translation>
    </message>
    <message>
        <source>Working directory</source>
        <translation>Working directory</translation>
    </message>
    <message>
        <source>Environment variables</source>
        <translation>Environment variables</translation>
    </message>
    <message>
        <source>Memory limit (bytes, 0 = none)</source>
        <translation>Memory limit (bytes, 0 = none)</translation>
    </message>
    <message>
        <source>Open files limit (0 = none)</source>
        <translation>Open files limit (0 = none)</translation>
    </message>
    <message>
        <source>Process limit (0 = none)</source>
        <translation>Process limit (0 = none)</translation>
    </message>
    <message>
        <source>Keep a log with multilog</source>
        <translation>Keep a log with multilog</translation>
    </message>
    <message>
        <source>Size of each log file (bytes)</source>
        <translation>Size of each log file (bytes)</translation>
    </message>
    <message>
        <source>Number of log files kept</source>
        <translation>Number of log files kept</translation>
    </message>
    <message>
        <source>Stamp each line with the time</source>
        <translation>Stamp each line with the time</translation>
    </message>
    <message>
        <source>Start the service now</source>
        <translation>Start the service now</translation>
    </message>
    <message>
        <source>Crash backoff limit (seconds, 0 = off)</source>
        <translation>Crash backoff limit (seconds, 0 = off)</translation>
    </message>
    <message>
        <source>Program</source>
        <translation>Program</translation>
    </message>
    <message>
        <source>Arguments</source>
        <translation>Arguments</translation>
    </message>
    <message>
        <source>Interpreter</source>
        <translation>Interpreter</translation>
    </message>
    <message>
        <source>Script file</source>
        <translation>Script file</translation>
    </message>
    <message>
        <source>Interval (seconds)</source>
        <translation>Interval (seconds)</translation>
    </message>
    <message>
        <source>Folder</source>
        <translation>Folder</translation>
    </message>
    <message>
        <source>Port</source>
        <translation>Port</translation>
    </message>
    <message>
        <source>Listen address</source>
        <translation>Listen address</translation>
    </message>
    <message>
        <source>Python</source>
        <translation>Python</translation>
    </message>
    <message>
        <source>SSH server (user@host)</source>
        <translation>SSH server (user@host)</translation>
    </message>
    <message>
        <source>SSH port</source>
        <translation>SSH port</translation>
    </message>
    <message>
        <source>Local port</source>
        <translation>Local port</translation>
    </message>
    <message>
        <source>Target host</source>
        <translation>Target host</translation>
    </message>
    <message>
        <source>Target port</source>
        <translation>Target port</translation>
    </message>
    <message>
        <source>Program in the foreground</source>
        <translation>Program in the foreground</translation>
    </message>
    <message>
        <source>Script run by an interpreter</source>
        <translation>Script run by an interpreter</translation>
    </message>
    <message>
        <source>SSH tunnel</source>
        <translation>SSH tunnel</translation>
    </message>
    <message>
        <source>Static web server for a folder</source>
        <translation>Static web server for a folder</translation>
    </message>
    <message>
        <source>Periodic job</source>
        <translation>Periodic job</translation>
    </message>
    <message>
        <source>Runs one program with its arguments. The program must stay in the foreground, as daemontools expects.</source>
        <translation>Runs one program with its arguments. The program must stay in the foreground, as daemontools expects.</translation>
    </message>
    <message>
        <source>Runs a script file with an interpreter, for example python3 /home/me/bot.py.</source>
        <translation>Runs a script file with an interpreter, for example python3 /home/me/bot.py.</translation>
    </message>
    <message>
        <source>Forwards a local port through an SSH server (ssh -N -L). Needs key authentication.</source>
        <translation>Forwards a local port through an SSH server (ssh -N -L). Needs key authentication.</translation>
    </message>
    <message>
        <source>Serves the files of one folder over HTTP with python3 -m http.server.</source>
        <translation>Serves the files of one folder over HTTP with python3 -m http.server.</translation>
    </message>
    <message>
        <source>Runs a command, waits, and runs it again, like a small cron job; failures are logged.</source>
        <translation>Runs a command, waits, and runs it again, like a small cron job; failures are logged.</translation>
    </message>
    <message>
        <source>Service name</source>
        <translation>Service name</translation>
    </message>
    <message>
        <source>This field is required.</source>
        <translation>This field is required.</translation>
    </message>
    <message>
        <source>Enter a whole number.</source>
        <translation>Enter a whole number.</translation>
    </message>
    <message>
        <source>Enter a number from %1 to %2.</source>
        <translation>Enter a number from %1 to %2.</translation>
    </message>
    <message>
        <source>There is no such file.</source>
        <translation>There is no such file.</translation>
    </message>
    <message>
        <source>This file is not executable.</source>
        <translation>This file is not executable.</translation>
    </message>
    <message>
        <source>Give the full path, starting with &apos;/&apos;.</source>
        <translation>Give the full path, starting with &apos;/&apos;.</translation>
    </message>
    <message>
        <source>There is no such folder.</source>
        <translation>There is no such folder.</translation>
    </message>
    <message>
        <source>Check the quotes.</source>
        <translation>Check the quotes.</translation>
    </message>
    <message>
        <source>There is no user with this name.</source>
        <translation>There is no user with this name.</translation>
    </message>
    <message>
        <source>Name</source>
        <translation>Name</translation>
    </message>
    <message>
        <source>Value</source>
        <translation>Value</translation>
    </message>
    <message>
        <source>e.g. --port 8080 &quot;a b&quot;</source>
        <translation>e.g. --port 8080 &quot;a b&quot;</translation>
    </message>
    <message>
        <source>empty: the service directory</source>
        <translation>empty: the service directory</translation>
    </message>
    <message>
        <source>Choose…</source>
        <translation>Choose…</translation>
    </message>
    <message>
        <source>Choose a folder</source>
        <translation>Choose a folder</translation>
    </message>
    <message>
        <source>Choose a file</source>
        <translation>Choose a file</translation>
    </message>
    <message>
        <source>Use up to 64 letters, digits, &apos;.&apos;, &apos;-&apos;, &apos;_&apos;, &apos;@&apos; or &apos;+&apos;, not starting with &apos;.&apos; or &apos;-&apos;.</source>
        <translation>Use up to 64 letters, digits, &apos;.&apos;, &apos;-&apos;, &apos;_&apos;, &apos;@&apos; or &apos;+&apos;, not starting with &apos;.&apos; or &apos;-&apos;.</translation>
    </message>
    <message>
        <source>yes</source>
        <translation>yes</translation>
    </message>
    <message>
        <source>no</source>
        <translation>no</translation>
    </message>
</context>
<context>
    <name>tz::App</name>
    <message>
        <source>Created %1. svscan picks it up within a moment.</source>
        <translation>Created %1. svscan picks it up within a moment.</translation>
    </message>
</context>
<context>
    <name>tz::DetailsPane</name>
    <message>
        <source>Open log browser</source>
        <translation>Open log browser</translation>
    </message>
    <message>
        <source>Latest log</source>
        <translation>Latest log</translation>
    </message>
    <message>
        <source>Exit history</source>
        <translation>Exit history</translation>
    </message>
    <message>
        <source>run</source>
        <translation>run</translation>
    </message>
    <message>
        <source>log/run</source>
        <translation>log/run</translation>
    </message>
    <message numerus="yes">
        <source>%n services selected</source>
        <translation>
            <numerusform>%n service selected</numerusform>
            <numerusform>%n services selected</numerusform>
        </translation>
    </message>
    <message>
        <source>No service selected</source>
        <translation>No service selected</translation>
    </message>
    <message>
        <source>Actions apply to all of them, like svc with several directories.</source>
        <translation>Actions apply to all of them, like svc with several directories.</translation>
    </message>
    <message>
        <source>Select a service to see its run script, its exits and its log.</source>
        <translation>Select a service to see its run script, its exits and its log.</translation>
    </message>
    <message>
        <source>stopped on request after %1</source>
        <translation>stopped on request after %1</translation>
    </message>
    <message>
        <source>killed by %1 after %2</source>
        <translation>killed by %1 after %2</translation>
    </message>
    <message>
        <source>exited %1 after %2</source>
        <translation>exited %1 after %2</translation>
    </message>
    <message>
        <source>pid %1</source>
        <translation>pid %1</translation>
    </message>
    <message>
        <source>starts with the system</source>
        <translation>starts with the system</translation>
    </message>
    <message>
        <source>normally down</source>
        <translation>normally down</translation>
    </message>
    <message>
        <source>logging to log/main</source>
        <translation>logging to log/main</translation>
    </message>
    <message>
        <source>not logging</source>
        <translation>not logging</translation>
    </message>
    <message>
        <source>runs as %1</source>
        <translation>runs as %1</translation>
    </message>
    <message>
        <source>made from template &quot;%1&quot;</source>
        <translation>made from template &quot;%1&quot;</translation>
    </message>
    <message>
        <source>(no log/run: output is not logged)</source>
        <translation>(no log/run: output is not logged)</translation>
    </message>
    <message>
        <source>No exits recorded.</source>
        <translation>No exits recorded.</translation>
    </message>
    <message>
        <source>ended after %1 (status unknown: it was running before supervise restarted)</source>
        <translation>ended after %1 (status unknown: it was running before supervise restarted)</translation>
    </message>
</context>
<context>
    <name>tz::LogBrowser</name>
    <message>
        <source>Log of %1</source>
        <translation>Log of %1</translation>
    </message>
    <message>
        <source>Search the log</source>
        <translation>Search the log</translation>
    </message>
    <message>
        <source>Regular expression</source>
        <translation>Regular expression</translation>
    </message>
    <message>
        <source>Match case</source>
        <translation>Match case</translation>
    </message>
    <message>
        <source>Only matching lines</source>
        <translation>Only matching lines</translation>
    </message>
    <message>
        <source>Previous match (Shift+F3)</source>
        <translation>Previous match (Shift+F3)</translation>
    </message>
    <message>
        <source>Next match (F3)</source>
        <translation>Next match (F3)</translation>
    </message>
    <message>
        <source>Follow</source>
        <translation>Follow</translation>
    </message>
    <message>
        <source>Show new lines as the service writes them</source>
        <translation>Show new lines as the service writes them</translation>
    </message>
    <message>
        <source>UTC</source>
        <translation>UTC</translation>
    </message>
    <message>
        <source>Show times in UTC instead of local time</source>
        <translation>Show times in UTC instead of local time</translation>
    </message>
    <message>
        <source>Go to time</source>
        <translation>Go to time</translation>
    </message>
    <message>
        <source>Last crash</source>
        <translation>Last crash</translation>
    </message>
    <message>
        <source>Go to the lines written just before the service last died</source>
        <translation>Go to the lines written just before the service last died</translation>
    </message>
    <message>
        <source>Copy</source>
        <translation>Copy</translation>
    </message>
    <message>
        <source>Copy the selected lines (Ctrl+C)</source>
        <translation>Copy the selected lines (Ctrl+C)</translation>
    </message>
    <message>
        <source>Export…</source>
        <translation>Export…</translation>
    </message>
    <message>
        <source>Save the selected lines, or all shown lines, to a file</source>
        <translation>Save the selected lines, or all shown lines, to a file</translation>
    </message>
    <message>
        <source>No line at or after that time.</source>
        <translation>No line at or after that time.</translation>
    </message>
    <message>
        <source>Export log lines</source>
        <translation>Export log lines</translation>
    </message>
    <message>
        <source>Log files (*.log *.txt);;All files (*)</source>
        <translation>Log files (*.log *.txt);;All files (*)</translation>
    </message>
    <message>
        <source>Export failed</source>
        <translation>Export failed</translation>
    </message>
    <message>
        <source>The lines could not be saved to %1.</source>
        <translation>The lines could not be saved to %1.</translation>
    </message>
    <message>
        <source>This service has not logged anything yet.</source>
        <translation>This service has not logged anything yet.</translation>
    </message>
    <message numerus="yes">
        <source>%n line(s)</source>
        <translation>
            <numerusform>%n line</numerusform>
            <numerusform>%n lines</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n file(s)</source>
        <translation>
            <numerusform>%n file</numerusform>
            <numerusform>%n files</numerusform>
        </translation>
    </message>
    <message>
        <source>reading…</source>
        <translation>reading…</translation>
    </message>
    <message>
        <source>invalid expression</source>
        <translation>invalid expression</translation>
    </message>
    <message>
        <source>searching…</source>
        <translation>searching…</translation>
    </message>
    <message numerus="yes">
        <source>%n match(es)</source>
        <translation>
            <numerusform>%n match</numerusform>
            <numerusform>%n matches</numerusform>
        </translation>
    </message>
    <message>
        <source>Reload</source>
        <translation>Reload</translation>
    </message>
    <message>
        <source>Read the log directory again, with the files written since (F5)</source>
        <translation>Read the log directory again, with the files written since (F5)</translation>
    </message>
</context>
<context>
    <name>tz::LogModel</name>
    <message>
        <source>%1
file: %2</source>
        <translation>%1
file: %2</translation>
    </message>
    <message>
        <source>Time (UTC)</source>
        <translation>Time (UTC)</translation>
    </message>
    <message>
        <source>Time</source>
        <translation>Time</translation>
    </message>
    <message>
        <source>Message</source>
        <translation>Message</translation>
    </message>
</context>
<context>
    <name>tz::MainWindow</name>
    <message>
        <source>Tazuna — services</source>
        <translation>Tazuna — services</translation>
    </message>
    <message>
        <source>Filter services by name</source>
        <translation>Filter services by name</translation>
    </message>
    <message>
        <source>The Tazuna helper is not reachable, so the list below may be out of date. It reconnects by itself as soon as the helper is back.</source>
        <translation>The Tazuna helper is not reachable, so the list below may be out of date. It reconnects by itself as soon as the helper is back.</translation>
    </message>
    <message>
        <source>&amp;Start</source>
        <translation>&amp;Start</translation>
    </message>
    <message>
        <source>Start the selected services and keep them running (svc -u)</source>
        <translation>Start the selected services and keep them running (svc -u)</translation>
    </message>
    <message>
        <source>S&amp;top</source>
        <translation>S&amp;top</translation>
    </message>
    <message>
        <source>Stop the selected services and keep them stopped (svc -d)</source>
        <translation>Stop the selected services and keep them stopped (svc -d)</translation>
    </message>
    <message>
        <source>&amp;Restart</source>
        <translation>&amp;Restart</translation>
    </message>
    <message>
        <source>Send TERM; supervise starts the service again (svc -t)</source>
        <translation>Send TERM; supervise starts the service again (svc -t)</translation>
    </message>
    <message>
        <source>Run &amp;once</source>
        <translation>Run &amp;once</translation>
    </message>
    <message>
        <source>Start the selected services, but do not restart them when they exit (svc -o)</source>
        <translation>Start the selected services, but do not restart them when they exit (svc -o)</translation>
    </message>
    <message>
        <source>&amp;Pause</source>
        <translation>&amp;Pause</translation>
    </message>
    <message>
        <source>Send STOP to the selected services (svc -p)</source>
        <translation>Send STOP to the selected services (svc -p)</translation>
    </message>
    <message>
        <source>&amp;Continue</source>
        <translation>&amp;Continue</translation>
    </message>
    <message>
        <source>Send CONT to paused services (svc -c)</source>
        <translation>Send CONT to paused services (svc -c)</translation>
    </message>
    <message>
        <source>HUP — reload</source>
        <translation>HUP — reload</translation>
    </message>
    <message>
        <source>Send HUP, which many daemons take as &quot;reread your configuration&quot; (svc -h)</source>
        <translation>Send HUP, which many daemons take as &quot;reread your configuration&quot; (svc -h)</translation>
    </message>
    <message>
        <source>ALRM — alarm</source>
        <translation>ALRM — alarm</translation>
    </message>
    <message>
        <source>Send ALRM (svc -a)</source>
        <translation>Send ALRM (svc -a)</translation>
    </message>
    <message>
        <source>INT — interrupt</source>
        <translation>INT — interrupt</translation>
    </message>
    <message>
        <source>Send INT (svc -i)</source>
        <translation>Send INT (svc -i)</translation>
    </message>
    <message>
        <source>KILL — kill now</source>
        <translation>KILL — kill now</translation>
    </message>
    <message>
        <source>Send KILL: the daemon dies at once; supervise starts it again unless it is stopped (svc -k)</source>
        <translation>Send KILL: the daemon dies at once; supervise starts it again unless it is stopped (svc -k)</translation>
    </message>
    <message>
        <source>On: the service&apos;s output goes through multilog into log/main, kept and rotated; the service restarts once to switch over.</source>
        <translation>On: the service&apos;s output goes through multilog into log/main, kept and rotated; the service restarts once to switch over.</translation>
    </message>
    <message>
        <source>Re&amp;move…</source>
        <translation>Re&amp;move…</translation>
    </message>
    <message>
        <source>Stop the selected services and take them out of the service directory</source>
        <translation>Stop the selected services and take them out of the service directory</translation>
    </message>
    <message>
        <source>&amp;New service…</source>
        <translation>&amp;New service…</translation>
    </message>
    <message>
        <source>Create a service from a template</source>
        <translation>Create a service from a template</translation>
    </message>
    <message>
        <source>Show &amp;log</source>
        <translation>Show &amp;log</translation>
    </message>
    <message>
        <source>Browse the selected service&apos;s log</source>
        <translation>Browse the selected service&apos;s log</translation>
    </message>
    <message>
        <source>Actions</source>
        <translation>Actions</translation>
    </message>
    <message>
        <source>&amp;Tazuna</source>
        <translation>&amp;Tazuna</translation>
    </message>
    <message>
        <source>&amp;Settings…</source>
        <translation>&amp;Settings…</translation>
    </message>
    <message>
        <source>&amp;Close window</source>
        <translation>&amp;Close window</translation>
    </message>
    <message>
        <source>&amp;Quit</source>
        <translation>&amp;Quit</translation>
    </message>
    <message>
        <source>&amp;Service</source>
        <translation>&amp;Service</translation>
    </message>
    <message>
        <source>Send si&amp;gnal</source>
        <translation>Send si&amp;gnal</translation>
    </message>
    <message>
        <source>Logging is on for %1: output now goes to log/main.</source>
        <translation>Logging is on for %1: output now goes to log/main.</translation>
    </message>
    <message>
        <source>Logging is off for %1: output is no longer kept.</source>
        <translation>Logging is off for %1: output is no longer kept.</translation>
    </message>
    <message>
        <source>Remove services</source>
        <translation>Remove services</translation>
    </message>
    <message numerus="yes">
        <source>Remove %n service(s): %1?</source>
        <translation>
            <numerusform>Remove the service %1?</numerusform>
            <numerusform>Remove %n services: %1?</numerusform>
        </translation>
    </message>
    <message>
        <source>Remove</source>
        <translation>Remove</translation>
    </message>
    <message>
        <source>Also delete the log files</source>
        <translation>Also delete the log files</translation>
    </message>
    <message>
        <source>Removing %1…</source>
        <translation>Removing %1…</translation>
    </message>
    <message>
        <source>Removed %1 and its logs.</source>
        <translation>Removed %1 and its logs.</translation>
    </message>
    <message>
        <source>Logging is off for this service: its output is not kept.</source>
        <translation>Logging is off for this service: its output is not kept.</translation>
    </message>
    <message>
        <source>The log is empty so far.</source>
        <translation>The log is empty so far.</translation>
    </message>
    <message>
        <source>Try again</source>
        <translation>Try again</translation>
    </message>
    <message>
        <source>Create a service…</source>
        <translation>Create a service…</translation>
    </message>
    <message>
        <source>Logg&amp;ing</source>
        <translation>Logg&amp;ing</translation>
    </message>
    <message>
        <source>The Tazuna helper is not installed on this computer, so no service can be shown or changed. Install the tazuna package, for example with: sudo apt install ./tazuna_*.deb. This window connects by itself as soon as the helper runs.</source>
        <translation>The Tazuna helper is not installed on this computer, so no service can be shown or changed. Install the tazuna package, for example with: sudo apt install ./tazuna_*.deb. This window connects by itself as soon as the helper runs.</translation>
    </message>
    <message>
        <source>The Tazuna helper is installed but not running. Start it with: sudo systemctl start tazuna-helper.service (journalctl -u tazuna-helper.service tells why it stopped). This window connects by itself as soon as it runs.</source>
        <translation>The Tazuna helper is installed but not running. Start it with: sudo systemctl start tazuna-helper.service (journalctl -u tazuna-helper.service tells why it stopped). This window connects by itself as soon as it runs.</translation>
    </message>
    <message>
        <source>Connecting to the Tazuna helper…</source>
        <translation>Connecting to the Tazuna helper…</translation>
    </message>
    <message>
        <source>There are no services yet. Tazuna watches the scan directory %1: svscan starts one supervise for each folder in it, and supervise keeps that folder&apos;s run script running, restarting it when it exits. Create a service from a template to put the first folder there.</source>
        <translation>There are no services yet. Tazuna watches the scan directory %1: svscan starts one supervise for each folder in it, and supervise keeps that folder&apos;s run script running, restarting it when it exits. Create a service from a template to put the first folder there.</translation>
    </message>
    <message>
        <source>Each service and its logger are stopped, then its directory is taken out of %1. Its log files are kept, with the rest of the directory, in %1/.tazuna-removed/, unless you tick the box below; then they are deleted for good.</source>
        <translation>Each service and its logger are stopped, then its directory is taken out of %1. Its log files are kept, with the rest of the directory, in %1/.tazuna-removed/, unless you tick the box below; then they are deleted for good.</translation>
    </message>
    <message>
        <source>Removed %1; its log files were kept in %2.</source>
        <translation>Removed %1; its log files were kept in %2.</translation>
    </message>
    <message>
        <source>Reading this service&apos;s log needs an administrator&apos;s password. Open the log browser to enter it.</source>
        <translation>Reading this service&apos;s log needs an administrator&apos;s password. Open the log browser to enter it.</translation>
    </message>
    <message>
        <source>The service has gone on to a new log file. Reading it needs an administrator&apos;s password: press Reload to enter it.</source>
        <translation>The service has gone on to a new log file. Reading it needs an administrator&apos;s password: press Reload to enter it.</translation>
    </message>
</context>
<context>
    <name>tz::Notifier</name>
    <message>
        <source>%1 keeps crashing</source>
        <translation>%1 keeps crashing</translation>
    </message>
    <message>
        <source>%1 crashed</source>
        <translation>%1 crashed</translation>
    </message>
    <message>
        <source>Show log</source>
        <translation>Show log</translation>
    </message>
    <message>
        <source>Restart</source>
        <translation>Restart</translation>
    </message>
    <message>
        <source>Keep stopped</source>
        <translation>Keep stopped</translation>
    </message>
    <message>
        <source>Click to show its log.</source>
        <translation>Click to show its log.</translation>
    </message>
    <message>
        <source>%1.</source>
        <extracomment>%1 is how the service ended, such as &quot;exited 3 after 2 s&quot;.</extracomment>
        <translation>%1.</translation>
    </message>
    <message numerus="yes">
        <source>%1. It was restarted %n time(s) in the last minute.</source>
        <extracomment>%1 is how the service ended, such as &quot;exited 3 after 2 s&quot;.</extracomment>
        <translation>
            <numerusform>%1. It was restarted %n time in the last minute.</numerusform>
            <numerusform>%1. It was restarted %n times in the last minute.</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>tz::ServiceModel</name>
    <message>
        <source>not supervised</source>
        <translation>not supervised</translation>
    </message>
    <message>
        <source>paused</source>
        <translation>paused</translation>
    </message>
    <message>
        <source>up, stopping</source>
        <translation>up, stopping</translation>
    </message>
    <message>
        <source>up</source>
        <translation>up</translation>
    </message>
    <message>
        <source>crashing, waiting to restart</source>
        <translation>crashing, waiting to restart</translation>
    </message>
    <message>
        <source>down, restarting</source>
        <translation>down, restarting</translation>
    </message>
    <message>
        <source>down</source>
        <translation>down</translation>
    </message>
    <message numerus="yes">
        <source>%n s</source>
        <translation>
            <numerusform>%n s</numerusform>
            <numerusform>%n s</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n min</source>
        <translation>
            <numerusform>%n min</numerusform>
            <numerusform>%n min</numerusform>
        </translation>
    </message>
    <message>
        <source>%1 h %2 min</source>
        <translation>%1 h %2 min</translation>
    </message>
    <message numerus="yes">
        <source>%n day(s)</source>
        <translation>
            <numerusform>%n day</numerusform>
            <numerusform>%n days</numerusform>
        </translation>
    </message>
    <message>
        <source>on</source>
        <translation>on</translation>
    </message>
    <message>
        <source>off</source>
        <translation>off</translation>
    </message>
    <message>
        <source>waiting</source>
        <translation>waiting</translation>
    </message>
    <message>
        <source>armed</source>
        <translation>armed</translation>
    </message>
    <message>
        <source>Its output goes through multilog into log/main.</source>
        <translation>Its output goes through multilog into log/main.</translation>
    </message>
    <message>
        <source>Its output is not kept.</source>
        <translation>Its output is not kept.</translation>
    </message>
    <message>
        <source>Exits not asked for in the last minute</source>
        <translation>Exits not asked for in the last minute</translation>
    </message>
    <message>
        <source>Service</source>
        <translation>Service</translation>
    </message>
    <message>
        <source>State</source>
        <translation>State</translation>
    </message>
    <message>
        <source>PID</source>
        <translation>PID</translation>
    </message>
    <message>
        <source>For</source>
        <translation>For</translation>
    </message>
    <message>
        <source>Runs as</source>
        <translation>Runs as</translation>
    </message>
    <message>
        <source>Log</source>
        <translation>Log</translation>
    </message>
    <message>
        <source>Crashes</source>
        <translation>Crashes</translation>
    </message>
    <message>
        <source>Backoff</source>
        <translation>Backoff</translation>
    </message>
</context>
<context>
    <name>tz::ServiceWizard</name>
    <message>
        <source>New service</source>
        <translation>New service</translation>
    </message>
    <message>
        <source>What should the service run?</source>
        <translation>What should the service run?</translation>
    </message>
    <message>
        <source>Choose a template. Every service is a directory with a run script that supervise keeps running.</source>
        <translation>Choose a template. Every service is a directory with a run script that supervise keeps running.</translation>
    </message>
    <message>
        <source>Program</source>
        <translation>Program</translation>
    </message>
    <message>
        <source>Name the service and say what it runs and as whom. Fields marked * are required.</source>
        <translation>Name the service and say what it runs and as whom. Fields marked * are required.</translation>
    </message>
    <message>
        <source>Environment and limits</source>
        <translation>Environment and limits</translation>
    </message>
    <message>
        <source>Variables the program sees, the resources it may use (softlimit), and how long to wait between restarts when it keeps crashing.</source>
        <translation>Variables the program sees, the resources it may use (softlimit), and how long to wait between restarts when it keeps crashing.</translation>
    </message>
    <message>
        <source>Logging and start</source>
        <translation>Logging and start</translation>
    </message>
    <message>
        <source>multilog keeps the output in log/main, rotating it by size, so the disk never fills up.</source>
        <translation>multilog keeps the output in log/main, rotating it by size, so the disk never fills up.</translation>
    </message>
    <message>
        <source>Review</source>
        <translation>Review</translation>
    </message>
    <message>
        <source>Create</source>
        <translation>Create</translation>
    </message>
    <message>
        <source>Loading templates…</source>
        <translation>Loading templates…</translation>
    </message>
    <message>
        <source>Service:   %1</source>
        <translation>Service:   %1</translation>
    </message>
    <message>
        <source>Template:  %1</source>
        <translation>Template:  %1</translation>
    </message>
    <message>
        <source>(default)</source>
        <translation>(default)</translation>
    </message>
    <message>
        <source>Creating…</source>
        <translation>Creating…</translation>
    </message>
    <message>
        <source>These are the exact scripts the helper will write into the service directory. Press Create to make the service.</source>
        <translation>These are the exact scripts the helper will write into the service directory. Press Create to make the service.</translation>
    </message>
    <message>
        <source>run</source>
        <translation>run</translation>
    </message>
    <message>
        <source>log/run</source>
        <translation>log/run</translation>
    </message>
    <message>
        <source>Settings</source>
        <translation>Settings</translation>
    </message>
    <message>
        <source>Asking the helper for the scripts…</source>
        <translation>Asking the helper for the scripts…</translation>
    </message>
    <message>
        <source>(no log/run: logging is off, so the output is not kept)</source>
        <translation>(no log/run: logging is off, so the output is not kept)</translation>
    </message>
</context>
<context>
    <name>tz::SettingsDialog</name>
    <message>
        <source>Tazuna settings</source>
        <translation>Tazuna settings</translation>
    </message>
    <message>
        <source>System language</source>
        <translation>System language</translation>
    </message>
    <message>
        <source>Start Tazuna in the tray when I log in</source>
        <translation>Start Tazuna in the tray when I log in</translation>
    </message>
    <message>
        <source>Do not show crash notifications</source>
        <translation>Do not show crash notifications</translation>
    </message>
    <message>
        <source>A new language applies the next time Tazuna starts.</source>
        <translation>A new language applies the next time Tazuna starts.</translation>
    </message>
    <message>
        <source>Language</source>
        <translation>Language</translation>
    </message>
</context>
<context>
    <name>tz::Tray</name>
    <message numerus="yes">
        <source>Tazuna: all %n service(s) up</source>
        <translation>
            <numerusform>Tazuna: the service is up</numerusform>
            <numerusform>Tazuna: all %n services up</numerusform>
        </translation>
    </message>
    <message>
        <source>Tazuna: %1 of %2 services up</source>
        <translation>Tazuna: %1 of %2 services up</translation>
    </message>
    <message>
        <source>Tazuna: a service keeps crashing</source>
        <translation>Tazuna: a service keeps crashing</translation>
    </message>
    <message>
        <source>Tazuna: no services</source>
        <translation>Tazuna: no services</translation>
    </message>
    <message>
        <source>Show Tazuna</source>
        <translation>Show Tazuna</translation>
    </message>
    <message>
        <source>No services</source>
        <translation>No services</translation>
    </message>
    <message>
        <source>Start</source>
        <translation>Start</translation>
    </message>
    <message>
        <source>Stop</source>
        <translation>Stop</translation>
    </message>
    <message>
        <source>Restart</source>
        <translation>Restart</translation>
    </message>
    <message>
        <source>Show log</source>
        <translation>Show log</translation>
    </message>
    <message>
        <source>Settings…</source>
        <translation>Settings…</translation>
    </message>
    <message>
        <source>Quit Tazuna</source>
        <translation>Quit Tazuna</translation>
    </message>
    <message>
        <source>Tazuna: %1 of %2 services up, the others stopped or paused on purpose</source>
        <translation>Tazuna: %1 of %2 services up, the others stopped or paused on purpose</translation>
    </message>
</context>
</TS>
