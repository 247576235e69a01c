<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="ja">
<context>
    <name>ErrorText</name>
    <message>
        <source>You are not allowed to do this. Nothing was changed; an administrator can do it for you.</source>
        <translation>この操作を行う権限がありません。何も変更していません。管理者に依頼してください。</translation>
    </message>
    <message>
        <source>The Tazuna helper is not reachable. It may be restarting; the window reconnects by itself.</source>
        <translation>Tazuna ヘルパーに接続できません。再起動中かもしれません。接続が戻れば自動的に再接続します。</translation>
    </message>
    <message>
        <source>This service no longer exists. It may have been removed a moment ago.</source>
        <translation>このサービスはもう存在しません。直前に削除された可能性があります。</translation>
    </message>
    <message>
        <source>A service with this name already exists. Choose another name.</source>
        <translation>同じ名前のサービスがすでにあります。別の名前にしてください。</translation>
    </message>
    <message>
        <source>This template is no longer available. Choose another template.</source>
        <translation>このテンプレートは使えなくなりました。別のテンプレートを選んでください。</translation>
    </message>
    <message>
        <source>This log file is gone, probably rotated away. Open the log again.</source>
        <translation>このログファイルはなくなりました (ローテートで削除されたようです)。ログを開き直してください。</translation>
    </message>
    <message>
        <source>There is no user with this name on this computer. Check the &quot;Run as&quot; field.</source>
        <translation>この名前のユーザーはこのコンピューターにいません。「実行ユーザー」欄を確認してください。</translation>
    </message>
    <message>
        <source>The program cannot be run by the chosen user. Check the path and that the file is executable.</source>
        <translation>選んだユーザーではこのプログラムを実行できません。パスと実行権限を確認してください。</translation>
    </message>
    <message>
        <source>This service is not being watched by supervise yet. Wait a few seconds and try again.</source>
        <translation>このサービスはまだ supervise に監視されていません。数秒待ってからやり直してください。</translation>
    </message>
    <message>
        <source>The service is busy with another change. Try again in a moment.</source>
        <translation>このサービスは別の変更を処理中です。少し待ってからやり直してください。</translation>
    </message>
    <message>
        <source>The value of &quot;%1&quot; is not accepted. Correct it and try again.</source>
        <translation>「%1」の値が受け付けられませんでした。修正してからやり直してください。</translation>
    </message>
    <message>
        <source>One of the values is not accepted. Check the fields and try again.</source>
        <translation>受け付けられない値があります。入力内容を確認してやり直してください。</translation>
    </message>
    <message>
        <source>The operation failed. Details from the helper: %1</source>
        <translation>操作に失敗しました。ヘルパーからの詳細: %1</translation>
    </message>
    <message>
        <source>This value is not accepted. Correct it and try again.</source>
        <translation>この値は受け付けられません。直してからもう一度お試しください。</translation>
    </message>
    <message>
        <source>There is no user with this name on this computer.</source>
        <translation>この名前のユーザーはこのコンピューターにいません。</translation>
    </message>
    <message>
        <source>The helper refused: you have reached the number of services you may create, or too many requests are waiting. Remove a service you no longer need, or try again in a moment.</source>
        <translation>ヘルパーが断りました。作成できるサービスの数に達したか、待っている要求が多すぎます。不要なサービスを削除するか、少し待ってからもう一度お試しください。</translation>
    </message>
    <message>
        <source>Logging cannot be turned off here: svscan follows daemontools 0.76&apos;s rule and runs a logger for every service that has a log directory. Nothing was changed.</source>
        <translation>ここではログの記録を止められません。svscan が daemontools 0.76 の規則に従い、log ディレクトリのあるサービスにはすべてロガーを起動するためです。何も変更していません。</translation>
    </message>
    <message>
        <source>This name cannot be used. Use letters, digits, &apos;.&apos;, &apos;-&apos;, &apos;_&apos;, &apos;@&apos; or &apos;+&apos;, not starting with &apos;.&apos; or &apos;-&apos;.</source>
        <translation>この名前は使えません。英数字と「.」「-」「_」「@」「+」を使い、「.」や「-」で始めないでください。</translation>
    </message>
    <message>
        <source>Authentication was cancelled, so nothing was done. Try again to be asked once more.</source>
        <translation>認証がキャンセルされたため、何も実行していません。もう一度操作すると、改めてパスワードを尋ねます。</translation>
    </message>
    <message>
        <source>This needs an administrator&apos;s password, which Tazuna asks for only when you do it yourself.</source>
        <translation>この操作には管理者のパスワードが必要です。Tazuna がパスワードを尋ねるのは、あなた自身が操作したときだけです。</translation>
    </message>
</context>
<context>
    <name>ServiceWizard</name>
    <message>
        <source>Run as user</source>
        <translation>実行ユーザー</translation>
    </message>
    <message>
        <source>Working directory</source>
        <translation>作業ディレクトリ</translation>
    </message>
    <message>
        <source>Environment variables</source>
        <translation>環境変数</translation>
    </message>
    <message>
        <source>Memory limit (bytes, 0 = none)</source>
        <translation>メモリ上限 (バイト、0 = 無制限)</translation>
    </message>
    <message>
        <source>Open files limit (0 = none)</source>
        <translation>オープンできるファイル数の上限 (0 = 無制限)</translation>
    </message>
    <message>
        <source>Process limit (0 = none)</source>
        <translation>プロセス数の上限 (0 = 無制限)</translation>
    </message>
    <message>
        <source>Keep a log with multilog</source>
        <translation>multilog でログをとる</translation>
    </message>
    <message>
        <source>Size of each log file (bytes)</source>
        <translation>ログファイル 1 つの容量 (バイト)</translation>
    </message>
    <message>
        <source>Number of log files kept</source>
        <translation>残すログファイルの数</translation>
    </message>
    <message>
        <source>Stamp each line with the time</source>
        <translation>各行に時刻を付ける</translation>
    </message>
    <message>
        <source>Start the service now</source>
        <translation>すぐにサービスを起動する</translation>
    </message>
    <message>
        <source>Crash backoff limit (seconds, 0 = off)</source>
        <translation>異常終了時の再起動待ちの上限 (秒、0 = 使わない)</translation>
    </message>
    <message>
        <source>Program</source>
        <translation>プログラム</translation>
    </message>
    <message>
        <source>Arguments</source>
        <translation>引数</translation>
    </message>
    <message>
        <source>Interpreter</source>
        <translation>インタプリタ</translation>
    </message>
    <message>
        <source>Script file</source>
        <translation>スクリプトファイル</translation>
    </message>
    <message>
        <source>Interval (seconds)</source>
        <translation>実行間隔 (秒)</translation>
    </message>
    <message>
        <source>Folder</source>
        <translation>フォルダー</translation>
    </message>
    <message>
        <source>Port</source>
        <translation>ポート</translation>
    </message>
    <message>
        <source>Listen address</source>
        <translation>待ち受けアドレス</translation>
    </message>
    <message>
        <source>Python</source>
        <translation>Python</translation>
    </message>
    <message>
        <source>SSH server (user@host)</source>
        <translation>SSH サーバー (ユーザー@ホスト)</translation>
    </message>
    <message>
        <source>SSH port</source>
        <translation>SSH ポート</translation>
    </message>
    <message>
        <source>Local port</source>
        <translation>ローカルポート</translation>
    </message>
    <message>
        <source>Target host</source>
        <translation>転送先ホスト</translation>
    </message>
    <message>
        <source>Target port</source>
        <translation>転送先ポート</translation>
    </message>
    <message>
        <source>Program in the foreground</source>
        <translation>フォアグラウンドで動くプログラム</translation>
    </message>
    <message>
        <source>Script run by an interpreter</source>
        <translation>インタプリタで動かすスクリプト</translation>
    </message>
    <message>
        <source>SSH tunnel</source>
        <translation>SSH トンネル</translation>
    </message>
    <message>
        <source>Static web server for a folder</source>
        <translation>フォルダーを公開する静的 Web サーバー</translation>
    </message>
    <message>
        <source>Periodic job</source>
        <translation>定期実行ジョブ</translation>
    </message>
    <message>
        <source>Runs one program with its arguments. The program must stay in the foreground, as daemontools expects.</source>
        <translation>プログラムを引数つきで 1 つ走らせます。daemontools の約束どおり、プログラムはフォアグラウンドで走りつづける必要があります。</translation>
    </message>
    <message>
        <source>Runs a script file with an interpreter, for example python3 /home/me/bot.py.</source>
        <translation>スクリプトファイルをインタプリタで走らせます。例: python3 /home/me/bot.py</translation>
    </message>
    <message>
        <source>Forwards a local port through an SSH server (ssh -N -L). Needs key authentication.</source>
        <translation>ローカルのポートを SSH サーバー経由で転送します (ssh -N -L)。鍵認証が必要です。</translation>
    </message>
    <message>
        <source>Serves the files of one folder over HTTP with python3 -m http.server.</source>
        <translation>python3 -m http.server で、1 つのフォルダーのファイルを HTTP で公開します。</translation>
    </message>
    <message>
        <source>Runs a command, waits, and runs it again, like a small cron job; failures are logged.</source>
        <translation>コマンドを実行し、待ってからまた実行します。小さな cron ジョブのようなもので、失敗はログに残ります。</translation>
    </message>
    <message>
        <source>Service name</source>
        <translation>サービス名</translation>
    </message>
    <message>
        <source>This field is required.</source>
        <translation>この欄は必須です。</translation>
    </message>
    <message>
        <source>Enter a whole number.</source>
        <translation>整数を入力してください。</translation>
    </message>
    <message>
        <source>Enter a number from %1 to %2.</source>
        <translation>%1 から %2 までの数を入力してください。</translation>
    </message>
    <message>
        <source>There is no such file.</source>
        <translation>そのファイルはありません。</translation>
    </message>
    <message>
        <source>This file is not executable.</source>
        <translation>このファイルには実行権限がありません。</translation>
    </message>
    <message>
        <source>Give the full path, starting with &apos;/&apos;.</source>
        <translation>「/」で始まるフルパスで指定してください。</translation>
    </message>
    <message>
        <source>There is no such folder.</source>
        <translation>そのフォルダーはありません。</translation>
    </message>
    <message>
        <source>Check the quotes.</source>
        <translation>引用符の対応を確認してください。</translation>
    </message>
    <message>
        <source>There is no user with this name.</source>
        <translation>この名前のユーザーはいません。</translation>
    </message>
    <message>
        <source>Name</source>
        <translation>名前</translation>
    </message>
    <message>
        <source>Value</source>
        <translation>値</translation>
    </message>
    <message>
        <source>e.g. --port 8080 &quot;a b&quot;</source>
        <translation>例: --port 8080 &quot;a b&quot;</translation>
    </message>
    <message>
        <source>empty: the service directory</source>
        <translation>空欄: サービスのディレクトリ</translation>
    </message>
    <message>
        <source>Choose…</source>
        <translation>選択…</translation>
    </message>
    <message>
        <source>Choose a folder</source>
        <translation>フォルダーを選択</translation>
    </message>
    <message>
        <source>Choose a file</source>
        <translation>ファイルを選択</translation>
    </message>
    <message>
        <source>Use up to 64 letters, digits, &apos;.&apos;, &apos;-&apos;, &apos;_&apos;, &apos;@&apos; or &apos;+&apos;, not starting with &apos;.&apos; or &apos;-&apos;.</source>
        <translation>英数字と「.」「-」「_」「@」「+」で 64 文字まで。「.」や「-」で始めないでください。</translation>
    </message>
    <message>
        <source>yes</source>
        <translation>はい</translation>
    </message>
    <message>
        <source>no</source>
        <translation>いいえ</translation>
    </message>
</context>
<context>
    <name>tz::App</name>
    <message>
        <source>Created %1. svscan picks it up within a moment.</source>
        <translation>%1 を作成しました。まもなく svscan が見つけて起動します。</translation>
    </message>
</context>
<context>
    <name>tz::DetailsPane</name>
    <message>
        <source>Open log browser</source>
        <translation>ログブラウザーを開く</translation>
    </message>
    <message>
        <source>Latest log</source>
        <translation>最新のログ</translation>
    </message>
    <message>
        <source>Exit history</source>
        <translation>終了の履歴</translation>
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
            <numerusform>%n 個のサービスを選択中</numerusform>
        </translation>
    </message>
    <message>
        <source>No service selected</source>
        <translation>サービスが選択されていません</translation>
    </message>
    <message>
        <source>Actions apply to all of them, like svc with several directories.</source>
        <translation>操作は選択したすべてのサービスに適用されます (svc に複数のディレクトリを渡すのと同じです)。</translation>
    </message>
    <message>
        <source>Select a service to see its run script, its exits and its log.</source>
        <translation>サービスを選ぶと、run スクリプト、終了の履歴、ログが表示されます。</translation>
    </message>
    <message>
        <source>stopped on request after %1</source>
        <translation>%1 動いたあと、指示どおり停止</translation>
    </message>
    <message>
        <source>killed by %1 after %2</source>
        <translation>%2 動いたあと、%1 で強制終了</translation>
    </message>
    <message>
        <source>exited %1 after %2</source>
        <translation>%2 動いたあと、終了コード %1 で終了</translation>
    </message>
    <message>
        <source>pid %1</source>
        <translation>pid %1</translation>
    </message>
    <message>
        <source>starts with the system</source>
        <translation>システム起動時に開始</translation>
    </message>
    <message>
        <source>normally down</source>
        <translation>通常は停止</translation>
    </message>
    <message>
        <source>logging to log/main</source>
        <translation>log/main にログを記録中</translation>
    </message>
    <message>
        <source>not logging</source>
        <translation>ログなし</translation>
    </message>
    <message>
        <source>runs as %1</source>
        <translation>%1 として実行</translation>
    </message>
    <message>
        <source>made from template &quot;%1&quot;</source>
        <translation>テンプレート「%1」から作成</translation>
    </message>
    <message>
        <source>(no log/run: output is not logged)</source>
        <translation>(log/run なし: 出力はログに残りません)</translation>
    </message>
    <message>
        <source>No exits recorded.</source>
        <translation>終了の記録はありません。</translation>
    </message>
    <message>
        <source>ended after %1 (status unknown: it was running before supervise restarted)</source>
        <translation>%1 動いたあと、終了 (supervise の再起動前から動いていたプロセスのため、終了状態は不明)</translation>
    </message>
</context>
<context>
    <name>tz::LogBrowser</name>
    <message>
        <source>Log of %1</source>
        <translation>%1 のログ</translation>
    </message>
    <message>
        <source>Search the log</source>
        <translation>ログを検索</translation>
    </message>
    <message>
        <source>Regular expression</source>
        <translation>正規表現</translation>
    </message>
    <message>
        <source>Match case</source>
        <translation>大文字と小文字を区別</translation>
    </message>
    <message>
        <source>Only matching lines</source>
        <translation>一致する行だけ表示</translation>
    </message>
    <message>
        <source>Previous match (Shift+F3)</source>
        <translation>前の一致 (Shift+F3)</translation>
    </message>
    <message>
        <source>Next match (F3)</source>
        <translation>次の一致 (F3)</translation>
    </message>
    <message>
        <source>Follow</source>
        <translation>追従</translation>
    </message>
    <message>
        <source>Show new lines as the service writes them</source>
        <translation>サービスが書き込んだ新しい行をすぐに表示します</translation>
    </message>
    <message>
        <source>UTC</source>
        <translation>UTC</translation>
    </message>
    <message>
        <source>Show times in UTC instead of local time</source>
        <translation>時刻を現地時間ではなく UTC で表示します</translation>
    </message>
    <message>
        <source>Go to time</source>
        <translation>指定時刻へ移動</translation>
    </message>
    <message>
        <source>Last crash</source>
        <translation>直近の異常終了</translation>
    </message>
    <message>
        <source>Go to the lines written just before the service last died</source>
        <translation>サービスが最後に異常終了する直前の行へ移動します</translation>
    </message>
    <message>
        <source>Copy</source>
        <translation>コピー</translation>
    </message>
    <message>
        <source>Copy the selected lines (Ctrl+C)</source>
        <translation>選択した行をコピー (Ctrl+C)</translation>
    </message>
    <message>
        <source>Export…</source>
        <translation>エクスポート…</translation>
    </message>
    <message>
        <source>Save the selected lines, or all shown lines, to a file</source>
        <translation>選択した行 (選択がなければ表示中のすべての行) をファイルに保存します</translation>
    </message>
    <message>
        <source>No line at or after that time.</source>
        <translation>その時刻以降の行はありません。</translation>
    </message>
    <message>
        <source>Export log lines</source>
        <translation>ログの行をエクスポート</translation>
    </message>
    <message>
        <source>Log files (*.log *.txt);;All files (*)</source>
        <translation>ログファイル (*.log *.txt);;すべてのファイル (*)</translation>
    </message>
    <message>
        <source>Export failed</source>
        <translation>エクスポートに失敗しました</translation>
    </message>
    <message>
        <source>The lines could not be saved to %1.</source>
        <translation>%1 に保存できませんでした。</translation>
    </message>
    <message>
        <source>This service has not logged anything yet.</source>
        <translation>このサービスはまだ何もログに書いていません。</translation>
    </message>
    <message numerus="yes">
        <source>%n line(s)</source>
        <translation>
            <numerusform>%n 行</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n file(s)</source>
        <translation>
            <numerusform>%n ファイル</numerusform>
        </translation>
    </message>
    <message>
        <source>reading…</source>
        <translation>読み込み中…</translation>
    </message>
    <message>
        <source>invalid expression</source>
        <translation>正規表現が不正です</translation>
    </message>
    <message>
        <source>searching…</source>
        <translation>検索中…</translation>
    </message>
    <message numerus="yes">
        <source>%n match(es)</source>
        <translation>
            <numerusform>%n 件一致</numerusform>
        </translation>
    </message>
    <message>
        <source>Reload</source>
        <translation>再読み込み</translation>
    </message>
    <message>
        <source>Read the log directory again, with the files written since (F5)</source>
        <translation>ログディレクトリを読み直し、その後に書かれたファイルも表示します (F5)</translation>
    </message>
</context>
<context>
    <name>tz::LogModel</name>
    <message>
        <source>%1
file: %2</source>
        <translation>%1
ファイル: %2</translation>
    </message>
    <message>
        <source>Time (UTC)</source>
        <translation>時刻 (UTC)</translation>
    </message>
    <message>
        <source>Time</source>
        <translation>時刻</translation>
    </message>
    <message>
        <source>Message</source>
        <translation>メッセージ</translation>
    </message>
</context>
<context>
    <name>tz::MainWindow</name>
    <message>
        <source>Tazuna — services</source>
        <translation>Tazuna — サービス</translation>
    </message>
    <message>
        <source>Filter services by name</source>
        <translation>サービス名で絞り込み</translation>
    </message>
    <message>
        <source>The Tazuna helper is not reachable, so the list below may be out of date. It reconnects by itself as soon as the helper is back.</source>
        <translation>Tazuna ヘルパーに接続できないため、下の一覧は古いかもしれません。ヘルパーが戻りしだい自動的に再接続します。</translation>
    </message>
    <message>
        <source>&amp;Start</source>
        <translation>起動(&amp;S)</translation>
    </message>
    <message>
        <source>Start the selected services and keep them running (svc -u)</source>
        <translation>選択したサービスを起動し、動かしつづけます (svc -u)</translation>
    </message>
    <message>
        <source>S&amp;top</source>
        <translation>停止(&amp;T)</translation>
    </message>
    <message>
        <source>Stop the selected services and keep them stopped (svc -d)</source>
        <translation>選択したサービスを停止し、止めたままにします (svc -d)</translation>
    </message>
    <message>
        <source>&amp;Restart</source>
        <translation>再起動(&amp;R)</translation>
    </message>
    <message>
        <source>Send TERM; supervise starts the service again (svc -t)</source>
        <translation>TERM を送ります。supervise がサービスをもう一度起動します (svc -t)</translation>
    </message>
    <message>
        <source>Run &amp;once</source>
        <translation>1 回だけ起動(&amp;O)</translation>
    </message>
    <message>
        <source>Start the selected services, but do not restart them when they exit (svc -o)</source>
        <translation>選択したサービスを起動しますが、終了しても再起動しません (svc -o)</translation>
    </message>
    <message>
        <source>&amp;Pause</source>
        <translation>一時停止(&amp;P)</translation>
    </message>
    <message>
        <source>Send STOP to the selected services (svc -p)</source>
        <translation>選択したサービスに STOP を送ります (svc -p)</translation>
    </message>
    <message>
        <source>&amp;Continue</source>
        <translation>再開(&amp;C)</translation>
    </message>
    <message>
        <source>Send CONT to paused services (svc -c)</source>
        <translation>一時停止中のサービスに CONT を送ります (svc -c)</translation>
    </message>
    <message>
        <source>HUP — reload</source>
        <translation>HUP — 設定の再読み込み</translation>
    </message>
    <message>
        <source>Send HUP, which many daemons take as &quot;reread your configuration&quot; (svc -h)</source>
        <translation>HUP を送ります。多くのデーモンは「設定を読み直せ」と解釈します (svc -h)</translation>
    </message>
    <message>
        <source>ALRM — alarm</source>
        <translation>ALRM — アラーム</translation>
    </message>
    <message>
        <source>Send ALRM (svc -a)</source>
        <translation>ALRM を送ります (svc -a)</translation>
    </message>
    <message>
        <source>INT — interrupt</source>
        <translation>INT — 割り込み</translation>
    </message>
    <message>
        <source>Send INT (svc -i)</source>
        <translation>INT を送ります (svc -i)</translation>
    </message>
    <message>
        <source>KILL — kill now</source>
        <translation>KILL — 即時に強制終了</translation>
    </message>
    <message>
        <source>Send KILL: the daemon dies at once; supervise starts it again unless it is stopped (svc -k)</source>
        <translation>KILL を送ります。デーモンはすぐに終了し、停止中でなければ supervise がまた起動します (svc -k)</translation>
    </message>
    <message>
        <source>On: the service&apos;s output goes through multilog into log/main, kept and rotated; the service restarts once to switch over.</source>
        <translation>オン: サービスの出力を multilog で log/main に残し、ローテートします。切り替えのためにサービスが 1 回再起動します。</translation>
    </message>
    <message>
        <source>Re&amp;move…</source>
        <translation>削除(&amp;M)…</translation>
    </message>
    <message>
        <source>Stop the selected services and take them out of the service directory</source>
        <translation>選択したサービスを停止し、サービスディレクトリから取り除きます</translation>
    </message>
    <message>
        <source>&amp;New service…</source>
        <translation>新しいサービス(&amp;N)…</translation>
    </message>
    <message>
        <source>Create a service from a template</source>
        <translation>テンプレートからサービスを作成します</translation>
    </message>
    <message>
        <source>Show &amp;log</source>
        <translation>ログを表示(&amp;L)</translation>
    </message>
    <message>
        <source>Browse the selected service&apos;s log</source>
        <translation>選択したサービスのログを閲覧します</translation>
    </message>
    <message>
        <source>Actions</source>
        <translation>操作</translation>
    </message>
    <message>
        <source>&amp;Tazuna</source>
        <translation>Tazuna(&amp;T)</translation>
    </message>
    <message>
        <source>&amp;Settings…</source>
        <translation>設定(&amp;S)…</translation>
    </message>
    <message>
        <source>&amp;Close window</source>
        <translation>ウィンドウを閉じる(&amp;C)</translation>
    </message>
    <message>
        <source>&amp;Quit</source>
        <translation>終了(&amp;Q)</translation>
    </message>
    <message>
        <source>&amp;Service</source>
        <translation>サービス(&amp;S)</translation>
    </message>
    <message>
        <source>Send si&amp;gnal</source>
        <translation>シグナルを送る(&amp;G)</translation>
    </message>
    <message>
        <source>Logging is on for %1: output now goes to log/main.</source>
        <translation>%1 のログをオンにしました。出力は log/main に記録されます。</translation>
    </message>
    <message>
        <source>Logging is off for %1: output is no longer kept.</source>
        <translation>%1 のログをオフにしました。出力はもう記録されません。</translation>
    </message>
    <message>
        <source>Remove services</source>
        <translation>サービスの削除</translation>
    </message>
    <message numerus="yes">
        <source>Remove %n service(s): %1?</source>
        <translation>
            <numerusform>%n 個のサービス (%1) を削除しますか?</numerusform>
        </translation>
    </message>
    <message>
        <source>Remove</source>
        <translation>削除</translation>
    </message>
    <message>
        <source>Also delete the log files</source>
        <translation>ログファイルも削除する</translation>
    </message>
    <message>
        <source>Removing %1…</source>
        <translation>%1 を削除しています…</translation>
    </message>
    <message>
        <source>Removed %1 and its logs.</source>
        <translation>%1 とそのログを削除しました。</translation>
    </message>
    <message>
        <source>Logging is off for this service: its output is not kept.</source>
        <translation>このサービスはログがオフです。出力は記録されていません。</translation>
    </message>
    <message>
        <source>The log is empty so far.</source>
        <translation>ログはまだ空です。</translation>
    </message>
    <message>
        <source>Try again</source>
        <translation>再試行</translation>
    </message>
    <message>
        <source>Create a service…</source>
        <translation>サービスを作成…</translation>
    </message>
    <message>
        <source>Logg&amp;ing</source>
        <translation>ログを記録(&amp;I)</translation>
    </message>
    <message>
        <source>The Tazuna helper is not installed on this computer, so no service can be shown or changed. Install the tazuna package, for example with: sudo apt install ./tazuna_*.deb. This window connects by itself as soon as the helper runs.</source>
        <translation>Tazuna ヘルパーがこのコンピューターにインストールされていないため、サービスを表示することも変更することもできません。tazuna パッケージをインストールしてください (例: sudo apt install ./tazuna_*.deb)。ヘルパーが動き出せば、このウィンドウは自動的に接続します。</translation>
    </message>
    <message>
        <source>The Tazuna helper is installed but not running. Start it with: sudo systemctl start tazuna-helper.service (journalctl -u tazuna-helper.service tells why it stopped). This window connects by itself as soon as it runs.</source>
        <translation>Tazuna ヘルパーはインストールされていますが、動いていません。sudo systemctl start tazuna-helper.service で起動してください (止まった理由は journalctl -u tazuna-helper.service でわかります)。動き出せば、このウィンドウは自動的に接続します。</translation>
    </message>
    <message>
        <source>Connecting to the Tazuna helper…</source>
        <translation>Tazuna ヘルパーに接続しています…</translation>
    </message>
    <message>
        <source>There are no services yet. Tazuna watches the scan directory %1: svscan starts one supervise for each folder in it, and supervise keeps that folder&apos;s run script running, restarting it when it exits. Create a service from a template to put the first folder there.</source>
        <translation>サービスはまだありません。Tazuna は svscan がスキャンするディレクトリ %1 を見ています。svscan はその中のディレクトリごとに supervise を 1 つ起動し、supervise はそのディレクトリの run スクリプトを走らせつづけ、終了すればまた起動します。テンプレートからサービスを作成して、最初のディレクトリを置きましょう。</translation>
    </message>
    <message>
        <source>Each service and its logger are stopped, then its directory is taken out of %1. Its log files are kept, with the rest of the directory, in %1/.tazuna-removed/, unless you tick the box below; then they are deleted for good.</source>
        <translation>各サービスとそのロガーを停止してから、そのディレクトリを %1 から取り除きます。ログファイルはディレクトリの残りと一緒に %1/.tazuna-removed/ に残ります。下のチェックボックスをオンにした場合は、完全に削除されます。</translation>
    </message>
    <message>
        <source>Removed %1; its log files were kept in %2.</source>
        <translation>%1 を削除しました。ログファイルは %2 に残してあります。</translation>
    </message>
    <message>
        <source>Reading this service&apos;s log needs an administrator&apos;s password. Open the log browser to enter it.</source>
        <translation>このサービスのログを読むには管理者のパスワードが必要です。ログブラウザーを開くと入力できます。</translation>
    </message>
    <message>
        <source>The service has gone on to a new log file. Reading it needs an administrator&apos;s password: press Reload to enter it.</source>
        <translation>サービスのログが新しいファイルに移りました。続きを読むには管理者のパスワードが必要です。「再読み込み」を押すと入力できます。</translation>
    </message>
</context>
<context>
    <name>tz::Notifier</name>
    <message>
        <source>%1 keeps crashing</source>
        <translation>%1 が異常終了を繰り返しています</translation>
    </message>
    <message>
        <source>%1 crashed</source>
        <translation>%1 が異常終了しました</translation>
    </message>
    <message>
        <source>Show log</source>
        <translation>ログを表示</translation>
    </message>
    <message>
        <source>Restart</source>
        <translation>再起動</translation>
    </message>
    <message>
        <source>Keep stopped</source>
        <translation>停止したままにする</translation>
    </message>
    <message>
        <source>Click to show its log.</source>
        <translation>クリックするとログを表示します。</translation>
    </message>
    <message>
        <source>%1.</source>
        <extracomment>%1 is how the service ended, such as &quot;exited 3 after 2 s&quot;.</extracomment>
        <translation>%1。</translation>
    </message>
    <message numerus="yes">
        <source>%1. It was restarted %n time(s) in the last minute.</source>
        <extracomment>%1 is how the service ended, such as &quot;exited 3 after 2 s&quot;.</extracomment>
        <translation>
            <numerusform>%1。この 1 分間に %n 回再起動しました。</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>tz::ServiceModel</name>
    <message>
        <source>not supervised</source>
        <translation>監視されていません</translation>
    </message>
    <message>
        <source>paused</source>
        <translation>一時停止中</translation>
    </message>
    <message>
        <source>up, stopping</source>
        <translation>稼働中 (停止処理中)</translation>
    </message>
    <message>
        <source>up</source>
        <translation>稼働中</translation>
    </message>
    <message>
        <source>crashing, waiting to restart</source>
        <translation>異常終了、再起動待ち</translation>
    </message>
    <message>
        <source>down, restarting</source>
        <translation>停止中 (再起動します)</translation>
    </message>
    <message>
        <source>down</source>
        <translation>停止中</translation>
    </message>
    <message numerus="yes">
        <source>%n s</source>
        <translation>
            <numerusform>%n 秒</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n min</source>
        <translation>
            <numerusform>%n 分</numerusform>
        </translation>
    </message>
    <message>
        <source>%1 h %2 min</source>
        <translation>%1 時間 %2 分</translation>
    </message>
    <message numerus="yes">
        <source>%n day(s)</source>
        <translation>
            <numerusform>%n 日</numerusform>
        </translation>
    </message>
    <message>
        <source>on</source>
        <translation>オン</translation>
    </message>
    <message>
        <source>off</source>
        <translation>オフ</translation>
    </message>
    <message>
        <source>waiting</source>
        <translation>待機中</translation>
    </message>
    <message>
        <source>armed</source>
        <translation>有効</translation>
    </message>
    <message>
        <source>Its output goes through multilog into log/main.</source>
        <translation>出力は multilog を通って log/main に記録されます。</translation>
    </message>
    <message>
        <source>Its output is not kept.</source>
        <translation>出力は記録されません。</translation>
    </message>
    <message>
        <source>Exits not asked for in the last minute</source>
        <translation>この 1 分間に指示なしで終了した回数</translation>
    </message>
    <message>
        <source>Service</source>
        <translation>サービス</translation>
    </message>
    <message>
        <source>State</source>
        <translation>状態</translation>
    </message>
    <message>
        <source>PID</source>
        <translation>PID</translation>
    </message>
    <message>
        <source>For</source>
        <translation>経過時間</translation>
    </message>
    <message>
        <source>Runs as</source>
        <translation>実行ユーザー</translation>
    </message>
    <message>
        <source>Log</source>
        <translation>ログ</translation>
    </message>
    <message>
        <source>Crashes</source>
        <translation>異常終了</translation>
    </message>
    <message>
        <source>Backoff</source>
        <translation>再起動待ち</translation>
    </message>
</context>
<context>
    <name>tz::ServiceWizard</name>
    <message>
        <source>New service</source>
        <translation>新しいサービス</translation>
    </message>
    <message>
        <source>What should the service run?</source>
        <translation>サービスで何を走らせますか?</translation>
    </message>
    <message>
        <source>Choose a template. Every service is a directory with a run script that supervise keeps running.</source>
        <translation>テンプレートを選んでください。サービスはそれぞれ run スクリプトを持つディレクトリで、supervise がそれを走らせつづけます。</translation>
    </message>
    <message>
        <source>Program</source>
        <translation>プログラム</translation>
    </message>
    <message>
        <source>Name the service and say what it runs and as whom. Fields marked * are required.</source>
        <translation>サービスの名前、走らせるもの、実行ユーザーを指定します。* の欄は必須です。</translation>
    </message>
    <message>
        <source>Environment and limits</source>
        <translation>環境と制限</translation>
    </message>
    <message>
        <source>Variables the program sees, the resources it may use (softlimit), and how long to wait between restarts when it keeps crashing.</source>
        <translation>プログラムに渡す環境変数、使えるリソースの上限 (softlimit)、異常終了を繰り返すときの再起動の待ち時間です。</translation>
    </message>
    <message>
        <source>Logging and start</source>
        <translation>ログと起動</translation>
    </message>
    <message>
        <source>multilog keeps the output in log/main, rotating it by size, so the disk never fills up.</source>
        <translation>multilog が出力を log/main に残し、容量でローテートするので、ディスクが溢れることはありません。</translation>
    </message>
    <message>
        <source>Review</source>
        <translation>確認</translation>
    </message>
    <message>
        <source>Create</source>
        <translation>作成</translation>
    </message>
    <message>
        <source>Loading templates…</source>
        <translation>テンプレートを読み込み中…</translation>
    </message>
    <message>
        <source>Service:   %1</source>
        <translation>サービス:     %1</translation>
    </message>
    <message>
        <source>Template:  %1</source>
        <translation>テンプレート: %1</translation>
    </message>
    <message>
        <source>(default)</source>
        <translation>(既定値)</translation>
    </message>
    <message>
        <source>Creating…</source>
        <translation>作成しています…</translation>
    </message>
    <message>
        <source>These are the exact scripts the helper will write into the service directory. Press Create to make the service.</source>
        <translation>ヘルパーがサービスディレクトリに書き込むスクリプトそのものです。「作成」を押すとサービスを作ります。</translation>
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
        <translation>設定</translation>
    </message>
    <message>
        <source>Asking the helper for the scripts…</source>
        <translation>ヘルパーにスクリプトを問い合わせています…</translation>
    </message>
    <message>
        <source>(no log/run: logging is off, so the output is not kept)</source>
        <translation>(log/run なし: ログを記録しないので、出力は残りません)</translation>
    </message>
</context>
<context>
    <name>tz::SettingsDialog</name>
    <message>
        <source>Tazuna settings</source>
        <translation>Tazuna の設定</translation>
    </message>
    <message>
        <source>System language</source>
        <translation>システムの言語</translation>
    </message>
    <message>
        <source>Start Tazuna in the tray when I log in</source>
        <translation>ログイン時に Tazuna をトレイで起動する</translation>
    </message>
    <message>
        <source>Do not show crash notifications</source>
        <translation>異常終了の通知を表示しない</translation>
    </message>
    <message>
        <source>A new language applies the next time Tazuna starts.</source>
        <translation>言語の変更は Tazuna の次回起動時に反映されます。</translation>
    </message>
    <message>
        <source>Language</source>
        <translation>言語</translation>
    </message>
</context>
<context>
    <name>tz::Tray</name>
    <message numerus="yes">
        <source>Tazuna: all %n service(s) up</source>
        <translation>
            <numerusform>Tazuna: %n 個のサービスがすべて稼働中</numerusform>
        </translation>
    </message>
    <message>
        <source>Tazuna: %1 of %2 services up</source>
        <translation>Tazuna: %2 個中 %1 個のサービスが稼働中</translation>
    </message>
    <message>
        <source>Tazuna: a service keeps crashing</source>
        <translation>Tazuna: 異常終了を繰り返しているサービスがあります</translation>
    </message>
    <message>
        <source>Tazuna: no services</source>
        <translation>Tazuna: サービスはありません</translation>
    </message>
    <message>
        <source>Show Tazuna</source>
        <translation>Tazuna を表示</translation>
    </message>
    <message>
        <source>No services</source>
        <translation>サービスはありません</translation>
    </message>
    <message>
        <source>Start</source>
        <translation>起動</translation>
    </message>
    <message>
        <source>Stop</source>
        <translation>停止</translation>
    </message>
    <message>
        <source>Restart</source>
        <translation>再起動</translation>
    </message>
    <message>
        <source>Show log</source>
        <translation>ログを表示</translation>
    </message>
    <message>
        <source>Settings…</source>
        <translation>設定…</translation>
    </message>
    <message>
        <source>Quit Tazuna</source>
        <translation>Tazuna を終了</translation>
    </message>
    <message>
        <source>Tazuna: %1 of %2 services up, the others stopped or paused on purpose</source>
        <translation>Tazuna: %2 個中 %1 個のサービスが稼働中 (ほかは意図して停止または一時停止中)</translation>
    </message>
</context>
</TS>
